import type { Snapshot, SnapshotRecord } from './recording-format.js';

/** Maximum length of a value shown in a difference line, in characters. Longer values are cut with "…". */
const MAX_VALUE_LENGTH = 100;

/**
 * Lists the differences between a saved snapshot and a replay's result, one line each,
 * such as `record "task_0003" data.stage: expected "Proposta", got "Negociação"`.
 * Records are matched by external id (and by occurrence, when one id appears twice), so
 * one changed record shows as one line instead of a shifted list. An empty list means equal.
 */
export function diffSnapshots(expected: Snapshot, actual: Snapshot): string[] {
  const lines: string[] = [];
  if (expected.canonicalObject !== actual.canonicalObject) {
    lines.push(`canonicalObject: expected ${show(expected.canonicalObject)}, got ${show(actual.canonicalObject)}`);
  }

  const before = keyRecords(expected.records);
  const after = keyRecords(actual.records);
  for (const [key, record] of before) {
    const other = after.get(key);
    if (!other) {
      lines.push(`record ${key}: in the snapshot but missing from the replay`);
      continue;
    }
    if (record.deleted !== other.deleted) lines.push(`record ${key} deleted: expected ${record.deleted}, got ${other.deleted}`);
    diffJson(record.data, other.data, `record ${key} data`, lines);
    diffJson(record.errors ?? [], other.errors ?? [], `record ${key} errors`, lines);
  }
  for (const [key, record] of after) {
    if (!before.has(key)) lines.push(`record ${key}: new in the replay: ${show(record.data)}`);
  }

  if (lines.length === 0 && [...before.keys()].join('\n') !== [...after.keys()].join('\n')) {
    lines.push('records: the same records arrive in a different order');
  }
  diffJson(expected.state, actual.state, 'state', lines);
  return lines;
}

/** Appends one line per difference between two JSON values, naming each by its path below `path`. */
export function diffJson(expected: unknown, actual: unknown, path: string, lines: string[]): void {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const name of names) {
      const child = `${path}.${name}`;
      if (!Object.hasOwn(actual, name)) lines.push(`${child}: expected ${show(expected[name])}, but it is missing`);
      else if (!Object.hasOwn(expected, name)) lines.push(`${child}: not in the snapshot, got ${show(actual[name])}`);
      else diffJson(expected[name], actual[name], child, lines);
    }
    return;
  }

  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) lines.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    const shared = Math.min(expected.length, actual.length);
    for (let index = 0; index < shared; index += 1) diffJson(expected[index], actual[index], `${path}[${index}]`, lines);
    return;
  }

  if (JSON.stringify(expected) !== JSON.stringify(actual)) lines.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Keys records by quoted external id, adding "#2", "#3"… when one id occurs more than once. */
function keyRecords(records: readonly SnapshotRecord[]): Map<string, SnapshotRecord> {
  const keyed = new Map<string, SnapshotRecord>();
  const seen = new Map<string, number>();
  for (const record of records) {
    const occurrence = (seen.get(record.externalId) ?? 0) + 1;
    seen.set(record.externalId, occurrence);
    keyed.set(occurrence === 1 ? JSON.stringify(record.externalId) : `${JSON.stringify(record.externalId)}#${occurrence}`, record);
  }
  return keyed;
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
