import { createHash, randomBytes } from 'node:crypto';

/**
 * Creates a PKCE code verifier (RFC 7636 section 4.1): 32 random bytes in base64url, 43
 * characters of the unreserved set, which is the length the RFC recommends.
 */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** Derives the S256 code challenge (RFC 7636 section 4.2): BASE64URL(SHA256(ASCII(verifier))) without padding. */
export function deriveCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
