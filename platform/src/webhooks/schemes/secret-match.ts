import { createHash } from 'node:crypto';
import { safeEqual } from './safe-equal.js';

/**
 * Tells whether any candidate signature equals the digest computed with any of the secrets.
 * Every secret is tried, so a delivery signed with an older secret still verifies during
 * rotation. `digest` returns null for a secret that cannot be used as a key.
 */
export function matchesAnySecret(
  secrets: readonly string[],
  candidates: readonly Buffer[],
  digest: (secret: string) => Buffer | null,
): boolean {
  for (const secret of secrets) {
    const expected = digest(secret);
    if (expected === null) continue;

    for (const candidate of candidates) {
      if (safeEqual(candidate, expected)) return true;
    }
  }
  return false;
}

/**
 * Compares a presented credential (a password, a URL secret) with a stored secret in
 * constant time. Both sides are hashed with SHA-256 first, so the time taken does not
 * reveal the secret's length either.
 */
export function credentialEquals(presented: Buffer, secret: string): boolean {
  const presentedDigest = createHash('sha256').update(presented).digest();
  const secretDigest = createHash('sha256').update(secret, 'utf8').digest();
  return safeEqual(presentedDigest, secretDigest);
}
