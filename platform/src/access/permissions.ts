import type { Role } from './principal.js';

/** Every permission of Lumio's model. API keys carry a subset as scopes, and each role grants a fixed subset. */
export const PERMISSIONS = [
  'integrations.read',
  'integrations.write',
  'integrations.delete',
  'integrations.connect',
  'integrations.disconnect',
  'webhooks.manage',
  'api_keys.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES: readonly Role[] = ['admin', 'manager', 'user', 'integration_manager'];

/**
 * Permissions of each studio role. A manager reads and changes but deletes nothing, a user
 * only reads, and an integration manager manages integrations but not webhook
 * subscriptions, keys or users.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  manager: ['integrations.read', 'integrations.write', 'integrations.connect', 'integrations.disconnect', 'webhooks.manage'],
  user: ['integrations.read'],
  integration_manager: ['integrations.read', 'integrations.write', 'integrations.delete', 'integrations.connect', 'integrations.disconnect'],
};

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Returns the permissions in `requested` that `granted` lacks. */
export function missingPermissions(granted: readonly string[], requested: readonly string[]): string[] {
  return requested.filter((permission) => !granted.includes(permission));
}
