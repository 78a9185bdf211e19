import { FORBIDDEN_SEGMENTS } from '../templates/index.js';

/** One step of a mapping path: a property name, and whether it fans out over an array ("items[]"). */
export interface PathStep {
  key: string;
  fansOut: boolean;
}

export type SourceReader = (record: unknown) => unknown;
export type TargetWriter = (data: Record<string, unknown>, value: unknown) => void;

const STEP = /^([A-Za-z0-9_$-]+)(\[\])?$/;
const INTEGER_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Parses "address.city" or "items[].sku" into steps. Returns a problem sentence
 * instead of steps when the path is empty, malformed, or names a prototype member.
 */
export function parseMappingPath(path: string): PathStep[] | string {
  if (path === '') return 'the path is empty';

  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = STEP.exec(part);
    const key = match?.[1];
    if (key === undefined) return `"${part}" is not a property name (letters, digits, "_", "-", "$", optionally followed by "[]")`;
    if (FORBIDDEN_SEGMENTS.has(key)) return `"${key}" is not allowed in a path`;
    steps.push({ key, fansOut: match?.[2] === '[]' });
  }
  return steps;
}

/**
 * Compiles a source path into a reader. Missing values read as null. A step marked
 * "[]" maps the rest of the path over every element, giving an array (null when the
 * property is not an array). Only own properties and array indexes are read.
 */
export function compileSourceReader(steps: readonly PathStep[]): SourceReader {
  const fanOutIndex = steps.findIndex((step) => step.fansOut);
  if (fanOutIndex === -1) return compilePlainReader(steps.map((step) => step.key));

  const head = compilePlainReader(steps.slice(0, fanOutIndex + 1).map((step) => step.key));
  const rest = steps.slice(fanOutIndex + 1);
  const restReader = rest.length === 0 ? (element: unknown) => element ?? null : compileSourceReader(rest);
  return (record) => {
    const list = head(record);
    return Array.isArray(list) ? list.map(restReader) : null;
  };
}

/**
 * Compiles a target path into a writer that creates nested objects as needed. A step
 * marked "[]" writes element i of the value into element i of the array at that step,
 * so several rules can fill the same array of objects. A null value leaves an array
 * target untouched.
 */
export function compileTargetWriter(steps: readonly PathStep[]): TargetWriter {
  const fanOutIndex = steps.findIndex((step) => step.fansOut);
  if (fanOutIndex === -1) {
    const keys = steps.map((step) => step.key);
    const last = keys[keys.length - 1] as string;
    const parents = keys.slice(0, -1);
    if (parents.length === 0) {
      return (data, value) => {
        data[last] = value ?? null;
      };
    }
    return (data, value) => {
      descend(data, parents)[last] = value ?? null;
    };
  }

  const parents = steps.slice(0, fanOutIndex).map((step) => step.key);
  const arrayKey = (steps[fanOutIndex] as PathStep).key;
  const rest = steps.slice(fanOutIndex + 1);
  const writeElement = rest.length === 0 ? undefined : compileTargetWriter(rest);
  return (data, value) => {
    if (value === null || value === undefined) return;
    const values = Array.isArray(value) ? value : [value];

    const container = descend(data, parents);
    const existing = container[arrayKey];
    const list: unknown[] = Array.isArray(existing) ? existing : [];
    container[arrayKey] = list;
    for (let index = 0; index < values.length; index += 1) {
      if (!writeElement) {
        list[index] = values[index];
        continue;
      }
      const element = list[index];
      const target = isObject(element) ? element : {};
      list[index] = target;
      writeElement(target, values[index]);
    }
  };
}

function compilePlainReader(keys: readonly string[]): SourceReader {
  const readers = keys.map(compileStepReader);
  if (readers.length === 1) {
    const [first] = readers as [SourceReader];
    return (record) => first(record) ?? null;
  }
  if (readers.length === 2) {
    const [first, second] = readers as [SourceReader, SourceReader];
    return (record) => second(first(record)) ?? null;
  }
  return (record) => {
    let value = record;
    for (const read of readers) value = read(value);
    return value ?? null;
  };
}

function compileStepReader(key: string): SourceReader {
  const index = INTEGER_INDEX.test(key) ? Number(key) : undefined;
  return (value) => {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) return index === undefined ? undefined : value[index];
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  };
}

function descend(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  let container = data;
  for (const key of keys) {
    const child = container[key];
    if (isObject(child)) {
      container = child;
    } else {
      const created: Record<string, unknown> = {};
      container[key] = created;
      container = created;
    }
  }
  return container;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
