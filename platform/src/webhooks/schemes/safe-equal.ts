import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time that depends only on their length. Different lengths
 * return false at once, because `timingSafeEqual` throws on them, and that throw would
 * otherwise turn a malformed signature into a server error.
 */
export function safeEqual(actual: Buffer, expected: Buffer): boolean {
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

/** Compares two strings as UTF-8 bytes with `safeEqual`. */
export function safeEqualText(actual: string, expected: string): boolean {
  return safeEqual(Buffer.from(actual, 'utf8'), Buffer.from(expected, 'utf8'));
}
