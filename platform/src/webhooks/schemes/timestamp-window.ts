/** Default maximum age, and maximum clock skew into the future, of a signed delivery. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Tells whether a signing time lies within `toleranceSeconds` of the receive time, on either
 * side: a stale delivery may be a replay, and one from the future means a wrong clock or a
 * forged timestamp.
 */
export function isWithinWindow(signedAtMs: number, nowMs: number, toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (!Number.isFinite(signedAtMs)) return false;
  return Math.abs(nowMs - signedAtMs) <= toleranceSeconds * 1000;
}

/**
 * Parses a header timestamp made only of digits, in seconds or milliseconds since the epoch,
 * into epoch milliseconds. Returns null for anything else (signs, decimals, spaces, empty).
 */
export function parseEpochHeader(text: string | undefined, unit: 'seconds' | 'milliseconds'): number | null {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return null;
  const value = Number(text);
  return unit === 'seconds' ? value * 1000 : value;
}
