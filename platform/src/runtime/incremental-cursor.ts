import type { IncrementalSync } from './manifest-types.js';

/** A cursor value as the provider sent it (an ISO string, or epoch milliseconds or seconds). */
export type CursorValue = string | number;

/** A point in the (cursor, tie-breaker) order. */
export interface CursorPoint {
  cursor: CursorValue;
  tieBreaker: string | null;
}

type CursorFormat = IncrementalSync['cursorFormat'];

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?$/;

/**
 * Converts a cursor value to epoch milliseconds. Epoch formats accept numbers and
 * numeric strings (HubSpot sends numbers as strings). Returns undefined when the value
 * does not parse.
 */
export function cursorToEpochMs(value: unknown, format: CursorFormat): number | undefined {
  if (format === 'iso8601') {
    if (typeof value !== 'string') return undefined;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }

  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(number)) return undefined;
  return format === 'epochSeconds' ? number * 1000 : number;
}

/** Reads a record's cursor, keeping the provider's form; undefined when absent or unparsable. */
export function readCursorValue(value: unknown, format: CursorFormat): CursorValue | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return cursorToEpochMs(value, format) === undefined ? undefined : value;
}

/** Reads a record's tie-breaker as text; undefined when absent. */
export function readTieBreaker(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Orders tie-breakers: integers (ids such as "9" and "10") compare numerically, any other
 * text by code units. A missing tie-breaker sorts first.
 */
export function compareTieBreakers(left: string | null, right: string | null): number {
  if (left === right) return 0;
  if (left === null) return -1;
  if (right === null) return 1;
  if (INTEGER_TEXT.test(left) && INTEGER_TEXT.test(right)) {
    const difference = BigInt(left) - BigInt(right);
    if (difference === 0n) return 0;
    return difference < 0n ? -1 : 1;
  }
  return left < right ? -1 : 1;
}

/** Orders two points by cursor time, then tie-breaker. */
export function compareCursorPoints(left: CursorPoint, right: CursorPoint, format: CursorFormat): number {
  const leftMs = cursorToEpochMs(left.cursor, format) ?? Number.NEGATIVE_INFINITY;
  const rightMs = cursorToEpochMs(right.cursor, format) ?? Number.NEGATIVE_INFINITY;
  if (leftMs !== rightMs) return leftMs < rightMs ? -1 : 1;
  return compareTieBreakers(left.tieBreaker, right.tieBreaker);
}

/**
 * Formats the `incremental.since` value: the cursor minus `lookbackSeconds`, in `sendAs`.
 * Without lookback and with the same format, the provider's own value is sent unchanged,
 * so precision beyond milliseconds (ISO microseconds) is not lost.
 */
export function formatSince(cursor: CursorValue, incremental: IncrementalSync, lookbackSeconds: number): CursorValue {
  const sendAs = incremental.sendAs ?? incremental.cursorFormat;
  if (lookbackSeconds === 0 && sendAs === incremental.cursorFormat) return cursor;

  const epochMs = (cursorToEpochMs(cursor, incremental.cursorFormat) ?? 0) - lookbackSeconds * 1000;
  if (sendAs === 'iso8601') return new Date(epochMs).toISOString();
  if (sendAs === 'epochSeconds') return Math.floor(epochMs / 1000);
  return epochMs;
}
