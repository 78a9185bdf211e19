import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Name of the cookie that carries a studio session's token. */
export const SESSION_COOKIE = 'lumio_session';

/** Header that carries the CSRF token on cookie-authenticated requests that change something. */
export const CSRF_HEADER = 'x-csrf-token';

/** 32 random bytes in base64url: 43 characters. Anything else is rejected without a database query. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Creates a session token: 32 random bytes in base64url. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isSessionTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** SHA-256 of the token in hex, the only form stored. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Derives the session's CSRF token from its session token with HMAC-SHA256. It is stable for
 * the session's life, so `GET /v1/session` can return it again. Reading it reveals nothing
 * about the session token, and a stolen database row (the token's SHA-256) gives neither.
 */
export function deriveCsrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('lumio-csrf-token').digest('base64url');
}

/** Compares a CSRF token sent by a client with the expected one, in constant time. */
export function csrfTokenMatches(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;

  const sentBytes = Buffer.from(sent, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  // timingSafeEqual throws on buffers of different lengths; the length of a valid token is public anyway.
  return sentBytes.length === expectedBytes.length && timingSafeEqual(sentBytes, expectedBytes);
}
