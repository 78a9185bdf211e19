import { parseHttpDate } from './http-date.js';

// Non-negative decimal number. Retry-After is whole seconds in RFC 9110, but some
// providers send a fraction such as "2.0".
const NUMBER = /^\d+(?:\.\d+)?$/;

// A header whose name says it carries milliseconds, e.g. "X-RateLimit-Reset-After-Ms".
const MILLISECONDS_NAME = /-(?:ms|milliseconds)$/i;

/**
 * Reads a wait header and returns the wait in milliseconds, or `undefined` when the
 * header is absent or not a valid value. A header named `…-Ms` or `…-Milliseconds`
 * is in milliseconds. Any other header contains delta-seconds or an HTTP-date, and a date
 * in the past means no wait, as RFC 9110 section 10.2.3 defines for Retry-After.
 */
export function parseWaitHeader(headerName: string, headers: Record<string, string>, nowMs: number = Date.now()): number | undefined {
  const raw = headers[headerName.toLowerCase()];
  if (raw === undefined) return undefined;

  const value = raw.trim();
  if (NUMBER.test(value)) {
    const amount = Number(value);
    return Math.ceil(MILLISECONDS_NAME.test(headerName) ? amount : amount * 1000);
  }
  if (MILLISECONDS_NAME.test(headerName)) return undefined;

  const dateMs = parseHttpDate(value, nowMs);
  if (dateMs === undefined) return undefined;
  return Math.max(0, Math.ceil(dateMs - nowMs));
}
