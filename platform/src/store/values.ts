import { LumioError } from '../errors/index.js';
import type { Dialect } from './dialect.js';

// Conversions between repository values and column values. Both databases receive the
// same text for JSON and timestamps, and the readers accept what either driver returns.

/** `\u0000` or an escaped surrogate in JSON text: PostgreSQL rejects both in json and jsonb. */
const POSTGRES_UNSAFE_JSON = /\\u0000|\\ud[89a-f]/i;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The output of `Date.prototype.toISOString` for years 0 to 9999, such as 2026-12-05T02:30:19.000Z. */
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Current time as an ISO 8601 UTC string with milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Serialises a value for a JSON column. Undefined is stored as JSON null.
 *
 * NOTE: PostgreSQL cannot store U+0000 or a lone UTF-16 surrogate in json, jsonb or
 * text, so on PostgreSQL both are replaced with U+FFFD (in keys and values). SQLite
 * stores them unchanged. Record content hashes are computed before this step, so a
 * record carrying them still compares as unchanged on the next sync.
 */
export function serializeJson(value: unknown, dialect: Dialect): string {
  return adaptJsonToDialect(JSON.stringify(value ?? null), value ?? null, dialect, JSON.stringify);
}

/**
 * Returns `text`, the serialisation of `value`, when the dialect can store it. Otherwise
 * serialises a copy of `value` with the unsupported characters replaced.
 */
export function adaptJsonToDialect(text: string, value: unknown, dialect: Dialect, serialize: (value: unknown) => string): string {
  if (dialect !== 'postgres' || !POSTGRES_UNSAFE_JSON.test(text)) {
    return text;
  }
  return serialize(replaceUnsafeCharacters(value));
}

function replaceUnsafeString(text: string): string {
  return text.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATE, '\ufffd');
}

function replaceUnsafeCharacters(value: unknown): unknown {
  if (typeof value === 'string') {
    return replaceUnsafeString(value);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') {
    return replaceUnsafeCharacters((withJson.toJSON as () => unknown)());
  }
  if (Array.isArray(value)) {
    return value.map((item) => replaceUnsafeCharacters(item));
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[replaceUnsafeString(key)] = replaceUnsafeCharacters(item);
  }
  return copy;
}

/** Parses a JSON column. Both drivers return JSON as text because `openStore` turns off pg's JSON parsing. */
export function parseJson(value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  return JSON.parse(String(value));
}

/** Reads a timestamp column: SQLite returns the stored ISO string, pg returns a Date. */
export function readTimestamp(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  // Text already in the form toISOString writes is returned as stored, because a parse and
  // format round trip costs about 1 µs a value on a shared 2-core VM, 200 µs per page of 50
  // records. Unlike a round trip, this keeps an impossible date in that form (2024-02-30T…).
  if (typeof value === 'string' && ISO_TIMESTAMP.test(value)) {
    return value;
  }
  return new Date(String(value)).toISOString();
}

/** Reads a NOT NULL timestamp column. */
export function readRequiredTimestamp(value: unknown): string {
  const text = readTimestamp(value);
  if (text === null) {
    throw new LumioError('STORE_INVALID_ROW', 'A required timestamp column is null, which Lumio never writes; check whether another tool changed the database.');
  }
  return text;
}

/** Reads a boolean column: SQLite returns 0 or 1, pg returns a boolean. */
export function readBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** Reads an integer column or an aggregate: pg returns bigint and count results as strings. */
export function readInteger(value: unknown): number {
  if (value === null || value === undefined) {
    return 0;
  }
  return Number(value);
}

export function readOptionalInteger(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function readOptionalString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * Normalises a timestamp given by a caller to ISO 8601 UTC, so both databases store the
 * same text and SQLite compares them correctly as strings.
 */
export function normalizeTimestamp(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new LumioError('INVALID_TIMESTAMP', `The ${field} value "${value}" is not a valid ISO 8601 timestamp; pass a date such as 2024-05-01T12:00:00Z.`, {
      status: 400,
      fault: 'caller',
      details: { field },
    });
  }
  return new Date(time).toISOString();
}

/** Raises INVALID_LIMIT unless `limit` is an integer from 1 to `maximum`. */
export function validateLimit(limit: number, maximum: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maximum) {
    throw new LumioError('INVALID_LIMIT', `The limit ${String(limit)} is out of range; pass an integer from 1 to ${maximum}.`, {
      status: 400,
      fault: 'caller',
      details: { limit, maximum },
    });
  }
}
