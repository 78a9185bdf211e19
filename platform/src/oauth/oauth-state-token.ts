import { createHash, randomBytes } from 'node:crypto';

/** How long an authorization URL may be used, in milliseconds: 10 minutes. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** Length limit of a state value read from a callback, in characters; a real one has 43. */
const MAX_STATE_LENGTH = 512;

/** Creates the `state` value: 32 random bytes (256 bits) in base64url, which nobody can guess. */
export function createStateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hashes a state for storage and lookup (SHA-256, hex), so the stored row cannot be replayed by a database reader. */
export function hashStateToken(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** Returns true when a callback's state has the shape of one this platform made. */
export function isPlausibleStateToken(state: string): boolean {
  return state.length > 0 && state.length <= MAX_STATE_LENGTH && /^[A-Za-z0-9_-]+$/.test(state);
}
