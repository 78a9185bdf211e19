// Semantic checks also run on manifests that failed schema validation, so that one run
// lists every problem. These readers let them skip parts with the wrong shape, which the
// schema errors already report.

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** Returns the entries of an object value, or none for any other value. */
export function recordEntries(value: unknown): [string, unknown][] {
  const record = asRecord(value);
  return record === undefined ? [] : Object.entries(record);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
