import { createHash } from 'node:crypto';

/**
 * Serialises a JSON value with object keys sorted by UTF-16 code units (JavaScript's
 * default sort order) and no whitespace, so equal values always produce equal text.
 * Otherwise it follows JSON.stringify: `toJSON` is honoured, non-finite numbers become
 * null, and undefined, functions and symbols are left out of objects and become null in
 * arrays. A bigint or a cycle raises a TypeError, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, new Set());
  return text ?? 'null';
}

/** Returns undefined for values that JSON leaves out (undefined, functions, symbols). */
function serialize(value: unknown, ancestors: Set<object>): string | undefined {
  if (value === null) {
    return 'null';
  }

  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('A bigint cannot be serialised as JSON; convert it to a string or number first.');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }

  const object = value as { toJSON?: unknown };
  if (typeof object.toJSON === 'function') {
    return serialize((object.toJSON as () => unknown)(), ancestors);
  }

  if (ancestors.has(object)) {
    throw new TypeError('A value with a circular reference cannot be serialised as JSON.');
  }
  ancestors.add(object);
  const text = Array.isArray(object) ? serializeArray(object, ancestors) : serializeObject(object, ancestors);
  ancestors.delete(object);
  return text;
}

// Both writers below build one string by concatenation and serialise leaf values inline:
// on provider records this is about twice as fast as collecting parts and joining them.
function serializeArray(items: unknown[], ancestors: Set<object>): string {
  let text = '[';
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) text += ',';
    text += serializeMember(items[index], ancestors) ?? 'null';
  }
  return text + ']';
}

function serializeObject(object: object, ancestors: Set<object>): string {
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();

  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = serializeMember(record[key], ancestors);
    if (member === undefined) continue;
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + member;
    first = false;
  }
  return text + '}';
}

function serializeMember(value: unknown, ancestors: Set<object>): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return serialize(value, ancestors);
}

/**
 * SHA-256 (lowercase hex) over the canonical JSON of `{ data, deleted, raw }`. Undefined
 * data or raw count as null, so both forms of "nothing" hash alike.
 */
export function computeContentHash(data: unknown, raw: unknown, deleted: boolean): string {
  return hashCanonicalParts(canonicalJson(data ?? null), canonicalJson(raw ?? null), deleted);
}

/**
 * Same digest as `computeContentHash`, from data and raw already in canonical JSON, so a
 * caller that also stores that text serialises each value once. The keys are written in
 * sorted order by hand: data, deleted, raw.
 */
export function hashCanonicalParts(canonicalData: string, canonicalRaw: string, deleted: boolean): string {
  const text = `{"data":${canonicalData},"deleted":${deleted ? 'true' : 'false'},"raw":${canonicalRaw}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
