import { LumioError } from '../errors/index.js';
import { readSegments, splitDotPath } from '../templates/index.js';
import type { CompiledMapping, CompiledRule } from './compile-mapping.js';
import { FieldError, quoteValue, runValueStep, type LookupStep } from './transforms/transform-step.js';

export interface LookupMatch {
  /** Lumio id of the canonical record. */
  id: string;
  data: Record<string, unknown>;
}

/** Finds canonical records of this connection by their external ids; the map is keyed by external id. */
export type LookupRecords = (canonicalObject: string, externalIds: string[]) => Promise<Map<string, LookupMatch>>;

export interface ApplyMappingOptions {
  lookup?: LookupRecords;
}

export interface FieldMappingError {
  target: string;
  code: string;
  message: string;
}

export interface MappedRecord {
  data: Record<string, unknown>;
  errors: FieldMappingError[];
}

interface PendingLookup {
  record: number;
  rule: CompiledRule;
  stage: number;
  value: unknown;
}

/**
 * Maps a page of provider records into canonical data, one result per record in the
 * same order. A bad value is reported on its field and the target is set to null, so
 * the rest of the page still maps. Lookups are batched: each round collects the
 * external ids of the whole page and calls `lookup` once per canonical object. A
 * rejected `lookup` call rejects the whole page.
 */
export async function applyMapping(
  compiled: CompiledMapping,
  records: readonly unknown[],
  options: ApplyMappingOptions = {},
): Promise<MappedRecord[]> {
  const results: MappedRecord[] = records.map(() => ({ data: {}, errors: [] }));
  if (!compiled.hasLookups) {
    for (let index = 0; index < records.length; index += 1) mapDirectly(compiled, records[index], results[index] as MappedRecord);
    return results;
  }

  const lookup = options.lookup;
  if (!lookup) {
    throw new LumioError(
      'MAPPING_LOOKUP_UNAVAILABLE',
      `The mapping for "${compiled.object}" uses lookup transforms, but no lookup function was passed; pass options.lookup.`,
      { status: 500, fault: 'platform' },
    );
  }

  // Values are kept per rule and written at the end, so targets are written in rule order.
  const values = records.map(() => new Array<unknown>(compiled.rules.length).fill(null));
  let pending: PendingLookup[] = [];
  records.forEach((record, index) => {
    const result = results[index] as MappedRecord;
    for (const rule of compiled.rules) {
      const value = runStage(rule, 0, safeRead(rule, record, result), result);
      settle({ record: index, rule, stage: 0, value }, values, pending, result);
    }
  });

  while (pending.length > 0) {
    const found = await fetchLookups(pending, lookup);
    const next: PendingLookup[] = [];
    for (const item of pending) {
      const result = results[item.record] as MappedRecord;
      const step = item.rule.stages[item.stage]?.lookup as LookupStep;
      const resolved = resolveLookup(step, item.value, found.get(step.canonicalObject), item.rule, result);
      const value = runStage(item.rule, item.stage + 1, resolved, result);
      settle({ ...item, stage: item.stage + 1, value }, values, next, result);
    }
    pending = next;
  }

  results.forEach((result, index) => {
    const row = values[index] as unknown[];
    for (const rule of compiled.rules) rule.write(result.data, row[rule.index]);
  });
  return results;
}

function mapDirectly(compiled: CompiledMapping, record: unknown, result: MappedRecord): void {
  const data = result.data;
  const readable = record !== null && typeof record === 'object';
  for (const rule of compiled.rules) {
    const source = readable ? rule.read(record) : safeRead(rule, record, result);
    rule.write(data, runStage(rule, 0, source, result));
  }
}

/** Runs the value transforms of one stage; a field error nulls the value and is recorded. */
function runStage(rule: CompiledRule, stage: number, input: unknown, result: MappedRecord): unknown {
  const steps = rule.stages[stage]?.steps;
  if (steps === undefined || steps.length === 0) return input;

  let value = input;
  try {
    for (const step of steps) value = runValueStep(step, value);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    result.errors.push({ target: rule.target, code: error.code, message: error.message });
    return null;
  }
  return value;
}

function safeRead(rule: CompiledRule, record: unknown, result: MappedRecord): unknown {
  if (record === null || typeof record !== 'object') {
    result.errors.push({ target: rule.target, code: 'TYPE_MISMATCH', message: `The record ${quoteValue(record)} is not an object.` });
    return null;
  }
  return rule.read(record);
}

/**
 * Stores a finished value, or queues it when its stage ends in a lookup. A null
 * reaching a lookup stays null, and the transforms after the lookup (a default) still run.
 */
function settle(item: PendingLookup, values: unknown[][], pending: PendingLookup[], result: MappedRecord): void {
  let { stage, value } = item;
  for (;;) {
    if (!item.rule.stages[stage]?.lookup) {
      (values[item.record] as unknown[])[item.rule.index] = value;
      return;
    }
    if (value !== null && value !== undefined) {
      pending.push({ ...item, stage, value });
      return;
    }
    stage += 1;
    value = runStage(item.rule, stage, null, result);
  }
}

async function fetchLookups(
  pending: readonly PendingLookup[],
  lookup: (canonicalObject: string, externalIds: string[]) => Promise<Map<string, LookupMatch>>,
): Promise<Map<string, Map<string, LookupMatch>>> {
  const idsByObject = new Map<string, Set<string>>();
  for (const item of pending) {
    const step = item.rule.stages[item.stage]?.lookup as LookupStep;
    let ids = idsByObject.get(step.canonicalObject);
    if (!ids) {
      ids = new Set();
      idsByObject.set(step.canonicalObject, ids);
    }
    for (const id of listExternalIds(item.value)) ids.add(id);
  }

  const found = new Map<string, Map<string, LookupMatch>>();
  for (const [canonicalObject, ids] of idsByObject) {
    found.set(canonicalObject, ids.size === 0 ? new Map() : await lookup(canonicalObject, [...ids]));
  }
  return found;
}

function listExternalIds(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
}

/** Replaces external ids by Lumio ids (or a field of the found record); ids not found become null and are reported. */
function resolveLookup(
  step: LookupStep,
  value: unknown,
  found: Map<string, LookupMatch> | undefined,
  rule: CompiledRule,
  result: MappedRecord,
): unknown {
  const missing: string[] = [];
  const fieldPath = step.field === undefined ? undefined : splitDotPath(step.field);
  const resolveOne = (externalId: unknown): unknown => {
    if (externalId === null || externalId === undefined) return null;
    if (typeof externalId !== 'string' && typeof externalId !== 'number') {
      result.errors.push({ target: rule.target, code: 'TYPE_MISMATCH', message: `The lookup id ${quoteValue(externalId)} is not text or a number.` });
      return null;
    }
    const match = found?.get(String(externalId));
    if (!match) {
      missing.push(String(externalId));
      return null;
    }
    return fieldPath === undefined ? match.id : (readSegments(match.data, fieldPath) ?? null);
  };

  const resolved = Array.isArray(value) ? value.map(resolveOne) : resolveOne(value);
  if (missing.length > 0) {
    result.errors.push({
      target: rule.target,
      code: 'LOOKUP_NOT_FOUND',
      message: `No ${step.canonicalObject} of this connection has the external id ${missing.map((id) => `"${id}"`).join(', ')}; sync that object first.`,
    });
  }
  return resolved;
}
