import { suggestClosest } from '../levenshtein.js';
import { asRecord, type JsonRecord } from './read-json.js';

/**
 * Syntax of a path into a provider record, as the runtime reads it. Both kinds split at
 * dots and read an array element by its index ("tags.0"). Mapping sources also accept "[]"
 * after a segment, which reads the rest of the path from every element ("lines[].sku").
 * Incremental cursor fields name one value, so "[]" is not part of their syntax.
 */
export type RecordPathSyntax = 'mappingSource' | 'valuePath';

/** Failure to resolve a record path: the failing segment, the reason and the field names valid there. */
export interface RecordPathFailure {
  /** Index of the first segment that fails. */
  segmentIndex: number;
  reason: 'unknownField' | 'insideScalar' | 'insideArray' | 'notAnArray' | 'bracketsInValuePath';
  /** Field names declared where the failing segment reads. */
  candidates: string[];
  /** Types the recordSchema declares for the value the failing segment reads inside, for 'insideScalar'. */
  parentTypes?: string[];
  /** The whole path corrected at the failing segment, when a correction is likely. */
  suggestion?: string;
}

const INTEGER_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Resolves a record path in an object's recordSchema and returns its first failure, or
 * undefined when the path exists. It also returns undefined when the schema does not
 * describe the part the path reads. That part is a field with no (or empty) `properties`,
 * a field without a known `type`, an array without `items`, or an object that allows
 * `additionalProperties`.
 */
export function findRecordPathFailure(path: string, recordSchema: JsonRecord, syntax: RecordPathSyntax): RecordPathFailure | undefined {
  const segments = path.split('.');
  let current: JsonRecord | undefined = recordSchema;

  for (const [index, segment] of segments.entries()) {
    if (current === undefined) return undefined;

    if (syntax === 'valuePath' && /[[\]]/.test(segment)) {
      // "items[]" and "items[2]" become "items.0" and "items.2", the index syntax of a value path.
      const indexed = segment.replace(/\[(\d*)\]/g, (_, digits: string) => `.${digits === '' ? '0' : digits}`);
      const failure: RecordPathFailure = { segmentIndex: index, reason: 'bracketsInValuePath', candidates: [] };
      if (!/[[\]]/.test(indexed)) failure.suggestion = replaceSegment(segments, index, indexed);
      return failure;
    }
    const fansOut = syntax === 'mappingSource' && segment.endsWith('[]');
    const name = fansOut ? segment.slice(0, -2) : segment;

    const step = readChild(current, name);
    if (step.kind === 'unknown') return undefined;
    if (step.kind === 'failure') return failureAt(segments, index, step, syntax);

    let next = step.schema;
    if (fansOut) {
      const types = readTypes(next);
      if (types !== undefined && !types.includes('array')) {
        return { segmentIndex: index, reason: 'notAnArray', candidates: [], suggestion: replaceSegment(segments, index, name) };
      }
      next = asRecord(next?.items);
    }
    current = next;
  }
  return undefined;
}

type ChildStep =
  | { kind: 'found'; schema: JsonRecord | undefined }
  | { kind: 'unknown' }
  | { kind: 'failure'; reason: 'unknownField' | 'insideScalar' | 'insideArray'; candidates: string[]; parentTypes?: string[] };

/** Finds the schema of the field `name` inside a value described by `parent`. */
function readChild(parent: JsonRecord, name: string): ChildStep {
  const properties = asRecord(parent.properties) ?? {};
  const declared = asRecord(properties[name]);
  if (declared !== undefined) return { kind: 'found', schema: declared };

  const types = readTypes(parent);
  if (INTEGER_INDEX.test(name) && types?.includes('array')) return { kind: 'found', schema: asRecord(parent.items) };

  const names = Object.keys(properties);
  const closed = parent.additionalProperties === undefined || parent.additionalProperties === false;
  if (types === undefined || types.includes('object')) {
    // Without declared fields, or with additionalProperties allowed, any name may exist.
    return names.length > 0 && closed ? { kind: 'failure', reason: 'unknownField', candidates: names } : { kind: 'unknown' };
  }
  if (types.includes('array')) return { kind: 'failure', reason: 'insideArray', candidates: [] };
  return { kind: 'failure', reason: 'insideScalar', candidates: [], parentTypes: types };
}

function failureAt(
  segments: string[],
  index: number,
  step: Extract<ChildStep, { kind: 'failure' }>,
  syntax: RecordPathSyntax,
): RecordPathFailure {
  const failure: RecordPathFailure = { segmentIndex: index, reason: step.reason, candidates: step.candidates };
  if (step.parentTypes !== undefined) failure.parentTypes = step.parentTypes;

  if (step.reason === 'unknownField') {
    const segment = segments[index] ?? '';
    const fansOut = syntax === 'mappingSource' && segment.endsWith('[]');
    const closest = suggestFieldName(fansOut ? segment.slice(0, -2) : segment, step.candidates);
    if (closest !== undefined) failure.suggestion = replaceSegment(segments, index, fansOut ? `${closest}[]` : closest);
  } else if (step.reason === 'insideArray' && index > 0) {
    // A mapping source fans out with "[]" on the array; a value path names one element.
    // An array inside an array has no such fix when the outer array already fans out.
    const parent = segments[index - 1] ?? '';
    if (syntax === 'valuePath') failure.suggestion = replaceSegment(segments, index - 1, `${parent}.0`);
    else if (!parent.endsWith('[]')) failure.suggestion = replaceSegment(segments, index - 1, `${parent}[]`);
  }
  return failure;
}

/**
 * Returns the candidate closest to `name`. Short names such as "titel" are one swap of
 * adjacent letters from "title" but two Levenshtein edits, more than suggestClosest allows
 * for five letters, so such a swap also counts as a match.
 */
function suggestFieldName(name: string, candidates: string[]): string | undefined {
  return suggestClosest(name, candidates) ?? candidates.find((candidate) => isAdjacentSwap(name.toLowerCase(), candidate.toLowerCase()));
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differences = [...a].flatMap((character, index) => (character === b[index] ? [] : [index]));
  const [first, second] = differences;
  if (differences.length !== 2 || first === undefined || second !== first + 1) return false;
  return a[first] === b[second] && a[second] === b[first];
}

/** Returns the JSON types a schema declares, or undefined when it declares none this check can read. */
function readTypes(schema: JsonRecord | undefined): string[] | undefined {
  const type = schema?.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.length > 0 && type.every((item) => typeof item === 'string')) return type as string[];
  return undefined;
}

function replaceSegment(segments: string[], index: number, replacement: string): string {
  return segments.map((segment, position) => (position === index ? replacement : segment)).join('.');
}
