import type { RecordWrite, RecordWriteError, RecordWriteOutcome, RecordWriteWarning, StoredRecord } from '../store/index.js';
import { applyReverseMapping, type ResolveExternalIds } from './apply-reverse-mapping.js';
import { buildBatchInput, type BatchOperationName } from './batch-operations.js';
import { normalizeMatchValue } from './match-key.js';
import { readPath } from './plain-path.js';
import type { WriteTarget } from './write-target.js';

/** A pending write turned into one input of a batch operation. */
export interface PlannedWrite {
  write: RecordWrite;
  operation: BatchOperationName;
  /** External id (update) or normalised match value (upsert, create); batches never carry one key twice. */
  key: string | undefined;
  input: Record<string, unknown>;
  warnings: RecordWriteWarning[];
}

export interface WritePlan {
  planned: PlannedWrite[];
  /** Writes that fail before any request, such as a value the current mapping cannot write. */
  failed: RecordWriteOutcome[];
}

/**
 * Converts pending writes into batch inputs with the connection's current mapping.
 * `stored` contains the store's records of the updates by external id, because an update
 * through batch upsert finds its provider record by the match value the provider last reported.
 */
export async function planWrites(target: WriteTarget, writes: readonly RecordWrite[], stored: ReadonlyMap<string, StoredRecord>, resolveExternalIds: ResolveExternalIds): Promise<WritePlan> {
  const reversed = await applyReverseMapping(target.reverse, writes.map((write) => write.data), resolveExternalIds);
  const plan: WritePlan = { planned: [], failed: [] };

  writes.forEach((write, index) => {
    const { payload, problems, warnings } = reversed[index] as (typeof reversed)[number];
    const fail = (error: RecordWriteError) => plan.failed.push({ id: write.id, status: 'failed', error, warnings });

    const operation = write.operation === 'update' ? target.operations.update : target.operations.create;
    if (operation === undefined) return fail(unsupported(target, write));
    if (problems.length > 0) {
      return fail({ code: 'WRITE_FIELD_INVALID', message: problems.map((problem) => problem.message).join(' '), details: { problems } });
    }
    if (Object.keys(payload).length === 0) {
      return fail({ code: 'WRITE_NOTHING_TO_SEND', message: `None of the fields of this write are mapped to ${target.manifest.name} fields by the connection's current field mapping.` });
    }

    const identity = identify(target, write, operation, payload, write.externalId === null ? undefined : stored.get(write.externalId));
    if ('code' in identity) return fail(identity);

    const input = buildBatchInput(operation, target.definition, payload, { externalId: write.externalId ?? undefined, matchKey: target.matchKey, matchValue: identity.matchValue });
    plan.planned.push({ write, operation, key: identity.key, input, warnings });
  });
  return plan;
}

/** Finds how the provider recognises the record: its external id, or its match value. */
function identify(
  target: WriteTarget,
  write: RecordWrite,
  operation: BatchOperationName,
  payload: Record<string, unknown>,
  storedRecord: StoredRecord | undefined,
): { key: string | undefined; matchValue?: unknown } | RecordWriteError {
  const matchKey = target.matchKey;
  if (operation === 'batchUpdate') return { key: write.externalId ?? undefined };
  if (operation === 'batchCreate') return { key: matchKey ? normalizeMatchValue(readPath(payload, matchKey.providerPath)) : undefined };

  if (!matchKey) {
    return {
      code: 'WRITEBACK_MATCH_FIELD_MISSING',
      message: `${target.manifest.name} writes ${target.sourceObject} with a batch upsert, which needs a match field; set one with PUT /v1/integrations/${target.connection.connectorId}/writeback {"matchOn": {"${target.canonicalObject}": "<field>"}}.`,
    };
  }

  const sent = readPath(payload, matchKey.providerPath);
  const known = storedRecord ? readPath(storedRecord.raw, matchKey.providerPath) : undefined;
  let matchValue = sent;
  if (write.operation === 'update' && normalizeMatchValue(known) !== undefined) {
    if (sent !== undefined && normalizeMatchValue(sent) !== normalizeMatchValue(known)) {
      return {
        code: 'WRITEBACK_MATCH_VALUE_CHANGED',
        message: `${matchKey.canonicalField} cannot change through write-back, because ${target.manifest.name} finds the ${target.canonicalObject} by it and offers no update by id for ${target.sourceObject}.`,
      };
    }
    matchValue = known;
  }

  const key = normalizeMatchValue(matchValue);
  if (key === undefined) {
    return { code: 'WRITEBACK_MATCH_VALUE_MISSING', message: `${matchKey.canonicalField} is required, because ${target.manifest.name} finds the ${target.canonicalObject} by it.` };
  }
  return { key, matchValue };
}

function unsupported(target: WriteTarget, write: RecordWrite): RecordWriteError {
  const operationNames = write.operation === 'update' ? 'batchUpdate or batchUpsert' : 'batchUpsert or batchCreate';
  return {
    code: 'WRITEBACK_NOT_SUPPORTED',
    message: `The ${target.manifest.name} connector declares no ${operationNames} operation for ${target.sourceObject}, so this ${write.operation} cannot be sent.`,
  };
}

/**
 * Splits planned writes into batches of at most `maxSize(operation)` inputs of one
 * operation, in order. A batch never carries one key twice, and a write goes into a
 * later batch than any earlier write with its key, so writes of one record are sent in
 * the order they were made.
 */
export function chunkWrites(planned: readonly PlannedWrite[], maxSize: (operation: BatchOperationName) => number): PlannedWrite[][] {
  const chunks: { operation: BatchOperationName; items: PlannedWrite[]; keys: Set<string> }[] = [];
  const lastChunkOfKey = new Map<string, number>();

  for (const item of planned) {
    const earliest = item.key === undefined ? 0 : (lastChunkOfKey.get(item.key) ?? -1) + 1;
    let index = chunks.findIndex(
      (chunk, position) => position >= earliest && chunk.operation === item.operation && chunk.items.length < maxSize(item.operation) && (item.key === undefined || !chunk.keys.has(item.key)),
    );
    if (index === -1) {
      chunks.push({ operation: item.operation, items: [], keys: new Set() });
      index = chunks.length - 1;
    }

    const chunk = chunks[index] as (typeof chunks)[number];
    chunk.items.push(item);
    if (item.key !== undefined) {
      chunk.keys.add(item.key);
      lastChunkOfKey.set(item.key, index);
    }
  }
  return chunks.map((chunk) => chunk.items);
}
