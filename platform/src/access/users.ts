import { LumioError } from '../errors/index.js';
import type { Store, StoredUser } from '../store/index.js';
import { checkPassword, hashPassword, type ScryptParameters } from './passwords.js';
import { isRole, ROLES } from './permissions.js';
import type { Role } from './principal.js';

/** A user to create, as a caller sent it; every field is checked before anything is stored. */
export interface NewUserInput {
  email: unknown;
  /** Defaults to the part of the email before `@`. */
  name?: unknown;
  role: unknown;
  password: unknown;
}

/** Maximum email length, in characters. */
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;
// One `@` with something on each side and no spaces: enough to catch typing mistakes
// without rejecting valid addresses that stricter patterns refuse.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** Trims and lowercases an email, the form users are stored and looked up in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Returns the normalised email, or raises FIELD_INVALID (400, field `email`). */
export function checkEmail(value: unknown): string {
  const email = typeof value === 'string' ? normalizeEmail(value) : '';
  if (!EMAIL_PATTERN.test(email) || email.length > MAX_EMAIL_LENGTH) {
    const received = typeof value === 'string' ? `"${value.slice(0, 100)}"` : 'missing';
    throw new LumioError('FIELD_INVALID', `email is ${received}; send an email address such as ana@example.com, at most ${MAX_EMAIL_LENGTH} characters.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'email' },
    });
  }
  return email;
}

export function checkRole(value: unknown): Role {
  if (!isRole(value)) {
    const received = typeof value === 'string' ? `"${value.slice(0, 100)}"` : 'missing';
    throw new LumioError('FIELD_INVALID', `role is ${received}; use one of ${ROLES.join(', ')}.`, { status: 400, fault: 'caller', details: { field: 'role' } });
  }
  return value;
}

function checkName(value: unknown, email: string): string {
  if (value === undefined || value === null) return email.slice(0, email.indexOf('@'));

  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
    throw new LumioError('FIELD_INVALID', `name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters.`, { status: 400, fault: 'caller', details: { field: 'name' } });
  }
  return value.trim();
}

/**
 * Checks the input, hashes the password with scrypt and stores the user. Raises 400 for a
 * bad field, USER_EMAIL_EXISTS (409) for an email any workspace already uses.
 */
export async function createUser(store: Store, workspaceId: string, input: NewUserInput, scrypt: ScryptParameters): Promise<StoredUser> {
  const email = checkEmail(input.email);
  const name = checkName(input.name, email);
  const role = checkRole(input.role);
  const password = checkPassword(input.password);

  const passwordHash = await hashPassword(password, scrypt);
  return store.users.create({ workspaceId, email, name, role, passwordHash });
}

/** The user as the API returns it. */
export function userView(user: StoredUser): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    workspaceId: user.workspaceId,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}
