import { applyMapping, type MappedRecord } from '../mapping/index.js';
import type { RecordWriteWarning } from '../store/index.js';
import type { FieldProblem } from './canonical-validator.js';
import type { ReverseMapping, ReverseRule } from './compile-reverse-mapping.js';
import { listLeafPaths, pathsOverlap, readPath, writePath } from './plain-path.js';

/**
 * Finds the external ids of Lumio records of this connection by their Lumio ids. The
 * returned map is keyed by Lumio id and leaves out ids with no record.
 */
export type ResolveExternalIds = (canonicalObject: string, recordIds: string[]) => Promise<Map<string, string>>;

/** A canonical record in the provider's form. */
export interface ReversedRecord {
  /** Provider fields to write, e.g. `{"properties": {"firstname": "Ana"}}`. */
  payload: Record<string, unknown>;
  /** Fields whose value cannot be written to the provider, by canonical path. */
  problems: FieldProblem[];
  /** Fields of the data that no rule writes to the provider. */
  warnings: RecordWriteWarning[];
}

interface RuleValue {
  rule: ReverseRule;
  position: number;
  input: unknown;
}

/**
 * Converts canonical records (whole records or only the changed fields) into provider
 * payloads, one result per record in the same order. Only the fields present in a
 * record are written, so a partial record updates only those provider fields.
 */
export async function applyReverseMapping(reverse: ReverseMapping, records: readonly Record<string, unknown>[], resolveExternalIds: ResolveExternalIds): Promise<ReversedRecord[]> {
  const present = records.map((data) =>
    reverse.rules.map((rule, position) => ({ rule, position, input: readPath(data, rule.canonicalPath) })).filter((item) => item.input !== undefined),
  );

  const firstInputs = present.map((values) => Object.fromEntries(values.map((item) => [`f${item.position}`, item.input])));
  const first = await applyMapping(reverse.firstPass, firstInputs);

  const results: ReversedRecord[] = records.map(() => ({ payload: {}, problems: [], warnings: [] }));
  const outputs = present.map((values, index) => collectOutputs(values, first[index] as MappedRecord, results[index] as ReversedRecord));

  await replaceRecordIds(reverse, present, outputs, results, resolveExternalIds);

  const secondInputs = outputs.map((values) => Object.fromEntries([...values.entries()].map(([position, value]) => [`f${position}`, value])));
  const second = await applyMapping(reverse.secondPass, secondInputs);

  present.forEach((values, index) => {
    const result = results[index] as ReversedRecord;
    const finished = collectOutputs(
      values.filter((item) => outputs[index]?.has(item.position)),
      second[index] as MappedRecord,
      result,
    );
    for (const item of values) {
      if (!finished.has(item.position)) continue;
      const value = finished.get(item.position);
      if (value === null && item.input !== null) {
        result.problems.push({ field: item.rule.canonicalPath, message: `${item.rule.canonicalPath} has the value ${JSON.stringify(item.input)}, which has no counterpart at the provider; use a value the field mapping knows.` });
        continue;
      }
      writePath(result.payload, item.rule.providerPath, value);
    }
    result.warnings = listUnwrittenFields(reverse, records[index] as Record<string, unknown>);
  });
  return results;
}

/** Reads each rule's output of a pass. A rule with a field error is reported as a problem and left out. */
function collectOutputs(values: RuleValue[], mapped: MappedRecord, result: ReversedRecord): Map<number, unknown> {
  const failed = new Map(mapped.errors.map((error) => [error.target, error]));
  const outputs = new Map<number, unknown>();
  for (const item of values) {
    const error = failed.get(`f${item.position}`);
    if (error) {
      result.problems.push({ field: item.rule.canonicalPath, message: `${item.rule.canonicalPath} cannot be written to the provider: ${error.message}` });
      continue;
    }
    outputs.set(item.position, mapped.data[`f${item.position}`] ?? null);
  }
  return outputs;
}

/** Replaces Lumio record ids by external ids for rules that reversed a lookup. An unknown id is reported as a problem. */
async function replaceRecordIds(
  reverse: ReverseMapping,
  present: RuleValue[][],
  outputs: Map<number, unknown>[],
  results: ReversedRecord[],
  resolveExternalIds: ResolveExternalIds,
): Promise<void> {
  const idsByObject = new Map<string, Set<string>>();
  present.forEach((values, index) => {
    for (const item of values) {
      const canonicalObject = item.rule.externalIdOf;
      if (canonicalObject === undefined) continue;
      const ids = idsByObject.get(canonicalObject) ?? new Set<string>();
      idsByObject.set(canonicalObject, ids);
      for (const id of listIds(outputs[index]?.get(item.position))) ids.add(id);
    }
  });
  if (idsByObject.size === 0) return;

  const found = new Map<string, Map<string, string>>();
  for (const [canonicalObject, ids] of idsByObject) found.set(canonicalObject, ids.size === 0 ? new Map() : await resolveExternalIds(canonicalObject, [...ids]));

  present.forEach((values, index) => {
    const recordOutputs = outputs[index] as Map<number, unknown>;
    for (const item of values) {
      const canonicalObject = item.rule.externalIdOf;
      if (canonicalObject === undefined || !recordOutputs.has(item.position)) continue;

      const externalIds = found.get(canonicalObject) as Map<string, string>;
      const value = recordOutputs.get(item.position);
      const missing = listIds(value).filter((id) => !externalIds.has(id));
      if (missing.length > 0) {
        (results[index] as ReversedRecord).problems.push({
          field: item.rule.canonicalPath,
          message: `${item.rule.canonicalPath} names ${missing.map((id) => `"${id}"`).join(', ')}, which is not a ${canonicalObject} record of this connection; pass the Lumio id of a record synced from this integration.`,
        });
        recordOutputs.delete(item.position);
        continue;
      }
      const replaced = Array.isArray(value) ? value.map((id) => externalIds.get(String(id)) ?? null) : externalIds.get(String(value));
      recordOutputs.set(item.position, value === null ? null : replaced);
    }
  });
}

function listIds(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string');
}

/** Warns about each field of the data that no reverse rule covers, with the reason when a rule was skipped. */
function listUnwrittenFields(reverse: ReverseMapping, data: Record<string, unknown>): RecordWriteWarning[] {
  const warnings: RecordWriteWarning[] = [];
  for (const field of listLeafPaths(data)) {
    if (reverse.rules.some((rule) => pathsOverlap(rule.canonicalPath, field))) continue;

    const skipped = reverse.skipped.find((rule) => pathsOverlap(rule.canonicalPath, field));
    const message = skipped
      ? `${field} is not written to the provider because ${skipped.reason}.`
      : `${field} is not written to the provider because the field mapping has no rule for it.`;
    warnings.push({ field, code: 'FIELD_NOT_WRITTEN', message });
  }
  return warnings;
}
