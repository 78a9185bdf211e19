import { FORBIDDEN_SEGMENTS } from '../templates/index.js';
import { describeSchemaType, isSchemaNode, type SchemaNode } from './schema-nodes.js';

/** A provider record field that a mapping rule can read as its `source`. */
export interface ProviderField {
  /** Source path, e.g. `properties.email` or `lineItems[].sku`. */
  path: string;
  /** JSON type such as string, number, boolean, array or object. `null` when only null was seen, `unknown` when the schema declares no type. */
  type: string;
  /** `schema` when the connector's record schema declares the field, `seen` when only stored records have it. */
  source: 'schema' | 'seen';
  /** True when reading the path yields an array: the field is an array, or the path goes through one with "[]". */
  isArray: boolean;
  description?: string;
  format?: string;
}

/** Deepest nesting read from a stored record, so a pathological record cannot make the walk slow. */
const MAX_SEEN_DEPTH = 8;
/** Distinct paths collected from stored records; fields past this many are left out. */
const MAX_SEEN_PATHS = 1_000;
/** Elements read from each array of objects in a stored record. */
const MAX_SEEN_ELEMENTS = 20;

/** A key that a mapping source path can name, as the mapping runtime parses paths. */
const PATH_STEP = /^[A-Za-z0-9_$-]+$/;

function isAddressable(key: string): boolean {
  return PATH_STEP.test(key) && !FORBIDDEN_SEGMENTS.has(key);
}

/**
 * Lists the fields a connector's record schema declares, in schema order. Nested objects
 * give dot paths, and fields inside arrays of objects give "[]" paths. Keys that a source
 * path cannot name (with dots or spaces, for example) are left out.
 */
export function listSchemaFields(recordSchema: unknown): ProviderField[] {
  const fields: ProviderField[] = [];
  if (isSchemaNode(recordSchema)) collectSchemaFields(recordSchema, '', false, fields);
  return fields;
}

function collectSchemaFields(node: SchemaNode, prefix: string, throughArray: boolean, fields: ProviderField[]): void {
  const properties = isSchemaNode(node.properties) ? node.properties : {};
  for (const [key, child] of Object.entries(properties)) {
    if (!isAddressable(key) || !isSchemaNode(child)) continue;
    const path = `${prefix}${key}`;
    const type = describeSchemaType(child);

    if (type === 'object' && isSchemaNode(child.properties)) {
      collectSchemaFields(child, `${path}.`, throughArray, fields);
      continue;
    }

    const field: ProviderField = { path, type, source: 'schema', isArray: throughArray || type === 'array' };
    if (typeof child.description === 'string') field.description = child.description;
    if (typeof child.format === 'string') field.format = child.format;
    fields.push(field);

    if (type === 'array' && isSchemaNode(child.items) && isSchemaNode(child.items.properties)) {
      collectSchemaFields(child.items, `${path}[].`, true, fields);
    }
  }
}

interface SeenPath {
  counts: Map<string, number>;
  isArray: boolean;
}

/**
 * Lists the fields present in stored provider records, each with the JSON type seen most
 * often (null only when no other type was seen). Objects are walked into, arrays are one
 * field, and arrays of objects also give "[]" paths of their elements' fields.
 */
export function listSeenFields(records: readonly unknown[]): ProviderField[] {
  const seen = new Map<string, SeenPath>();
  for (const record of records) {
    if (isSchemaNode(record)) walkObject(record, '', false, 0, seen);
  }

  return [...seen.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([path, entry]) => ({ path, type: mostFrequentType(entry.counts), source: 'seen' as const, isArray: entry.isArray }));
}

function walkObject(value: Record<string, unknown>, prefix: string, throughArray: boolean, depth: number, seen: Map<string, SeenPath>): void {
  for (const [key, child] of Object.entries(value)) {
    if (isAddressable(key)) walkValue(child, `${prefix}${key}`, throughArray, depth + 1, seen);
  }
}

function walkValue(value: unknown, path: string, throughArray: boolean, depth: number, seen: Map<string, SeenPath>): void {
  if (depth > MAX_SEEN_DEPTH) return;

  if (Array.isArray(value)) {
    note(seen, path, 'array', true);
    for (const element of value.slice(0, MAX_SEEN_ELEMENTS)) {
      if (isSchemaNode(element)) walkObject(element, `${path}[].`, true, depth, seen);
    }
    return;
  }

  if (isSchemaNode(value)) {
    if (Object.keys(value).length === 0) note(seen, path, 'object', throughArray);
    else walkObject(value, `${path}.`, throughArray, depth, seen);
    return;
  }

  note(seen, path, value === null ? 'null' : typeof value, throughArray);
}

function note(seen: Map<string, SeenPath>, path: string, type: string, isArray: boolean): void {
  let entry = seen.get(path);
  if (!entry) {
    if (seen.size >= MAX_SEEN_PATHS) return;
    entry = { counts: new Map(), isArray };
    seen.set(path, entry);
  }
  entry.counts.set(type, (entry.counts.get(type) ?? 0) + 1);
  entry.isArray ||= isArray;
}

function mostFrequentType(counts: Map<string, number>): string {
  let best = 'null';
  let bestCount = 0;
  for (const [type, count] of counts) {
    if (type !== 'null' && count > bestCount) {
      best = type;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Merges declared and seen fields: every declared field in schema order (a declared field
 * without a type takes the seen type), then fields only seen, in path order.
 */
export function mergeProviderFields(declared: readonly ProviderField[], seen: readonly ProviderField[]): ProviderField[] {
  const seenByPath = new Map(seen.map((field) => [field.path, field]));
  const merged = declared.map((field) => {
    const observed = seenByPath.get(field.path);
    return field.type === 'unknown' && observed ? { ...field, type: observed.type } : field;
  });

  const declaredPaths = new Set(declared.map((field) => field.path));
  return [...merged, ...seen.filter((field) => !declaredPaths.has(field.path))];
}
