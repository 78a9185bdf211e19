import type { ApiKeyRecord, StoredUser } from '../store/index.js';

/** The roles a studio user can hold, from Lumio's permission model. */
export type Role = 'admin' | 'manager' | 'user' | 'integration_manager';

/** The caller of a `/v1` request, authenticated by an API key or by a studio session cookie. */
export interface ApiPrincipal {
  workspaceId: string;
  kind: 'api_key' | 'user';
  /** Set when `kind` is `api_key`. */
  apiKeyId: string | null;
  /** Set when `kind` is `user`. */
  userId: string | null;
  /** The user's role; null for API keys, whose scopes are listed in `permissions`. */
  role: Role | null;
  /** Permissions the caller holds: a key's scopes, or the permissions of the user's role. */
  permissions: string[];
  /** Who acted, for audit entries and `createdBy` columns: `key:<id>` or `user:<id>`. */
  actor: string;
  /** The studio session of a cookie-authenticated request. */
  sessionId?: string;
}

export function apiKeyPrincipal(key: ApiKeyRecord): ApiPrincipal {
  return { workspaceId: key.workspaceId, kind: 'api_key', apiKeyId: key.id, userId: null, role: null, permissions: [...key.scopes], actor: `key:${key.id}` };
}

/** Builds a user's principal. The permissions come from the role at each request, so a role change applies at once. */
export function userPrincipal(user: StoredUser, permissions: readonly string[], sessionId: string): ApiPrincipal {
  return { workspaceId: user.workspaceId, kind: 'user', apiKeyId: null, userId: user.id, role: user.role, permissions: [...permissions], actor: `user:${user.id}`, sessionId };
}
