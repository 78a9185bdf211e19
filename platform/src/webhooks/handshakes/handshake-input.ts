import { createHash } from 'node:crypto';
import { safeEqual } from '../schemes/index.js';

/** Returns the query parameters of a request URL, or null for a URL that does not parse. */
export function readQuery(url: string): URLSearchParams | null {
  try {
    return new URL(url).searchParams;
  } catch {
    return null;
  }
}

/** Drops empty strings from the connection's secrets, because an unset secret must never match. */
export function usableSecrets(secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0);
}

/**
 * Tells whether a presented token equals one of the secrets. Both sides are hashed with
 * SHA-256 before the constant-time comparison, so the time taken does not reveal a
 * secret's length either.
 */
export function matchesAnyToken(presented: string, secrets: readonly string[]): boolean {
  const presentedDigest = sha256(presented);
  return secrets.some((secret) => safeEqual(presentedDigest, sha256(secret)));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
