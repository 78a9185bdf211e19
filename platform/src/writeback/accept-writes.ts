import type { ConnectionService } from '../connections/index.js';
import { isLumioError, LumioError } from '../errors/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { createTimeOrderedId, type Connection, type NewRecordWrite, type RecordWriteWarning, type Store, type StoredRecord } from '../store/index.js';
import { applyReverseMapping } from './apply-reverse-mapping.js';
import { validateCanonicalRecord, type FieldProblem } from './canonical-validator.js';
import { normalizeMatchValue } from './match-key.js';
import { throwProblems, type RecordInput, type WriteRequest } from './parse-write-request.js';
import { readPath } from './plain-path.js';
import { WRITEBACK_JOB_NAME, type WritebackJobPayload } from './process-write-batch.js';
import { externalIdResolver, findWriteTarget, type WriteTarget } from './write-target.js';

export interface AcceptWritesDependencies {
  store: Store;
  connections: ConnectionService;
  jobs: JobQueue;
  logger: Logger;
}

/** A write as the API returns it right after accepting it. */
export interface AcceptedWrite {
  id: string;
  operation: 'create' | 'update';
  status: 'pending';
  recordId: string;
  externalId: string | null;
  /** Fields of the data that are not written to the provider. */
  warnings: RecordWriteWarning[];
}

export interface AcceptedBatch {
  batchId: string;
  connection: Connection;
  object: string;
  writes: AcceptedWrite[];
}

/** Job attempts of a write-back batch; each attempt resends only the writes still pending. */
const JOB_ATTEMPTS = 5;
const JOB_BACKOFF = { type: 'exponential' as const, delayMs: 5_000 };

interface CheckedRecord {
  input: RecordInput;
  stored: StoredRecord | undefined;
  externalId: string | null;
  warnings: RecordWriteWarning[];
}

/**
 * Checks a write request completely before storing anything: the integration and object,
 * each record's target and data against the canonical schema, and that the connection's
 * mapping can write every field given. Then stores the writes as pending and enqueues the
 * job that sends them. Raises WRITE_REQUEST_INVALID (400) with one problem per field.
 */
export async function acceptWrites(deps: AcceptWritesDependencies, workspaceId: string, request: WriteRequest): Promise<AcceptedBatch> {
  const connection = await resolveIntegration(deps.connections, workspaceId, request.integration);
  if (connection.status === 'disconnected') {
    throw new LumioError('CONNECTION_DISCONNECTED', `The ${connection.connectorId} connection ${connection.id} is disconnected; connect it again before writing records to it.`, {
      status: 409,
      fault: 'caller',
      details: { field: 'integration' },
    });
  }
  const target = await findWriteTarget(deps, connection, request.object);

  const problems: FieldProblem[] = [];
  const checked = await checkRecords(deps.store, target, request.records, problems);
  throwProblems(problems);

  const batchId = createTimeOrderedId('wrb');
  const writes: NewRecordWrite[] = checked.map((record) => ({
    id: createTimeOrderedId('wr'),
    workspaceId,
    connectionId: connection.id,
    batchId,
    object: target.canonicalObject,
    sourceObject: target.sourceObject,
    operation: record.externalId === null ? 'create' : 'update',
    recordId: record.stored?.id ?? createTimeOrderedId('rec'),
    externalId: record.externalId,
    data: record.input.data,
    changedAt: record.input.changedAt,
    baseSourceUpdatedAt: record.stored?.sourceUpdatedAt ?? null,
    warnings: record.warnings,
  }));
  await deps.store.recordWrites.insertMany(writes);
  await enqueueBatch(deps, batchId, connection.id, target.sourceObject);
  deps.logger.info({ workspaceId, connectionId: connection.id, batchId, object: target.sourceObject, writes: writes.length }, 'write-back batch accepted');

  return {
    batchId,
    connection,
    object: target.canonicalObject,
    writes: writes.map((write) => ({ id: write.id, operation: write.operation, status: 'pending', recordId: write.recordId, externalId: write.externalId, warnings: write.warnings ?? [] })),
  };
}

/** Enqueues the job of a batch. The job id is derived from the batch, so enqueueing twice adds nothing. */
export async function queueBatchJob(jobs: JobQueue, batchId: string, connectionId: string, sourceObject: string): Promise<void> {
  const payload: WritebackJobPayload = { batchId };
  await jobs.enqueue(WRITEBACK_JOB_NAME, payload, {
    jobId: `writeback-${batchId}`,
    // Batches of one object of one connection are sent one at a time, in the order they became due.
    concurrencyKey: `writeback:${connectionId}:${sourceObject}`,
    attempts: JOB_ATTEMPTS,
    backoff: JOB_BACKOFF,
  });
}

/** Enqueues the job of a new batch. When that fails, the batch's writes fail too, so none stays pending without a job. */
async function enqueueBatch(deps: AcceptWritesDependencies, batchId: string, connectionId: string, sourceObject: string): Promise<void> {
  try {
    await queueBatchJob(deps.jobs, batchId, connectionId, sourceObject);
  } catch (error) {
    deps.logger.error({ err: error, batchId, connectionId }, 'the write-back job could not be queued; the batch failed');
    await deps.store.recordWrites.failPending(batchId, { code: 'WRITEBACK_ENQUEUE_FAILED', message: 'The write-back job could not be queued, so these writes were not sent; send them again.' });
    throw new LumioError('WRITEBACK_ENQUEUE_FAILED', 'The write-back job could not be queued, so nothing will be written; send the request again.', { status: 503, fault: 'platform', cause: error });
  }
}

/** Resolves the request's integration. An unknown one is a bad field of the body, so it raises a 400 naming `integration`. */
async function resolveIntegration(connections: ConnectionService, workspaceId: string, integration: string): Promise<Connection> {
  try {
    return await connections.resolve(workspaceId, integration);
  } catch (error) {
    if (isLumioError(error) && error.status === 404) {
      throw new LumioError(error.code, error.message, { status: 400, fault: 'caller', details: { field: 'integration' }, cause: error });
    }
    throw error;
  }
}

async function checkRecords(store: Store, target: WriteTarget, inputs: RecordInput[], problems: FieldProblem[]): Promise<CheckedRecord[]> {
  const known = await findStoredRecords(store, target, inputs);
  const checked: CheckedRecord[] = [];

  for (const input of inputs) {
    const before = problems.length;
    const stored = findTargetRecord(input, known, target, problems);
    if (problems.length > before) continue;

    const externalId = stored?.externalId ?? input.externalId ?? null;
    const operation = externalId === null ? 'create' : 'update';
    if (operation === 'create') problems.push(...validateCanonicalRecord(target.canonicalObject, input.data, field(input, 'data')));
    else problems.push(...validateUpdate(target, input, stored));
    checked.push({ input, stored, externalId, warnings: [] });
  }
  if (problems.length > 0) return checked;

  const reversed = await applyReverseMapping(target.reverse, checked.map((record) => record.input.data), externalIdResolver(store, target.connection.id));
  checked.forEach((record, index) => {
    const result = reversed[index] as (typeof reversed)[number];
    record.warnings = result.warnings;
    for (const problem of result.problems) problems.push({ field: field(record.input, `data.${problem.field}`), message: `${field(record.input, 'data.')}${problem.message}` });
    if (result.problems.length === 0) problems.push(...checkWritable(target, record, result.payload));
  });
  return checked;
}

/** Loads the stored records that the inputs name by Lumio id or by external id. */
async function findStoredRecords(store: Store, target: WriteTarget, inputs: RecordInput[]): Promise<{ byId: Map<string, StoredRecord>; byExternalId: Map<string, StoredRecord> }> {
  const byId = new Map<string, StoredRecord>();
  for (const id of new Set(inputs.flatMap((input) => (input.id === undefined ? [] : [input.id])))) {
    const record = await store.records.get(id);
    if (record && record.connectionId === target.connection.id && record.object === target.canonicalObject) byId.set(id, record);
  }
  const externalIds = inputs.flatMap((input) => (input.externalId === undefined ? [] : [input.externalId]));
  const found = await store.records.findByExternalIds(target.connection.id, target.canonicalObject, externalIds);
  return { byId, byExternalId: new Map(found.map((record) => [record.externalId, record])) };
}

function findTargetRecord(input: RecordInput, known: { byId: Map<string, StoredRecord>; byExternalId: Map<string, StoredRecord> }, target: WriteTarget, problems: FieldProblem[]): StoredRecord | undefined {
  if (input.id !== undefined) {
    const record = known.byId.get(input.id);
    if (!record) {
      problems.push({ field: field(input, 'id'), message: `${field(input, 'id')} names no ${target.canonicalObject} record of this ${target.connection.connectorId} connection: "${input.id}".` });
      return undefined;
    }
    if (input.externalId !== undefined && input.externalId !== record.externalId) {
      problems.push({ field: field(input, 'externalId'), message: `${field(input, 'externalId')} is "${input.externalId}", but record ${record.id} has the external id "${record.externalId}"; send one of them.` });
    }
    return record;
  }
  return input.externalId === undefined ? undefined : known.byExternalId.get(input.externalId);
}

/** Checks an update: the stored record with the changed fields applied must still be a valid record. */
function validateUpdate(target: WriteTarget, input: RecordInput, stored: StoredRecord | undefined): FieldProblem[] {
  if (!stored) {
    // The provider has the record but Lumio does not, so only the fields sent can be checked.
    return validateCanonicalRecord(target.canonicalObject, input.data, field(input, 'data'), { partial: true });
  }
  const merged = mergeFields(withoutNulls(stored.data), input.data);
  return validateCanonicalRecord(target.canonicalObject, merged, field(input, 'data'));
}

/** Checks that the provider can receive the record: something to write, an operation, and its match value. */
function checkWritable(target: WriteTarget, record: CheckedRecord, payload: Record<string, unknown>): FieldProblem[] {
  const { input } = record;
  const provider = target.manifest.name;
  const operation = record.externalId === null ? target.operations.create : target.operations.update;
  if (operation === undefined) {
    return [{ field: 'object', message: `The ${provider} connector declares no batch operation to ${record.externalId === null ? 'create' : 'update'} ${target.sourceObject}, so ${target.canonicalObject} records cannot be written to it.` }];
  }
  const nothingToWrite = { field: field(input, 'data'), message: `${field(input, 'data')} has no field that the connection's field mapping writes to ${provider}; see the warnings for each field.` };
  if (operation !== 'batchUpsert') return Object.keys(payload).length === 0 ? [nothingToWrite] : [];

  const matchKey = target.matchKey;
  if (!matchKey) {
    return [{ field: 'object', message: `${provider} writes ${target.sourceObject} with a batch upsert, which needs a match field; set one with PUT /v1/integrations/${target.connection.connectorId}/writeback.` }];
  }
  const matchField = field(input, `data.${matchKey.canonicalField}`);
  const sent = normalizeMatchValue(readPath(payload, matchKey.providerPath));
  const known = record.stored ? normalizeMatchValue(readPath(record.stored.raw, matchKey.providerPath)) : undefined;
  if (known !== undefined) {
    if (sent !== undefined && sent !== known) {
      return [{ field: matchField, message: `${matchField} cannot change through write-back, because ${provider} finds the ${target.canonicalObject} by it and offers no update by id for ${target.sourceObject}.` }];
    }
  } else if (sent === undefined) {
    return [{ field: matchField, message: `${matchField} is required, because ${provider} finds the ${target.canonicalObject} by it.` }];
  }
  return Object.keys(payload).length === 0 ? [nothingToWrite] : [];
}

function field(input: RecordInput, name: string): string {
  return input.path === '' ? name : `${input.path}.${name}`;
}

/** Drops null fields: stored records carry null for fields the provider left empty, which canonical schemas do not allow. */
function withoutNulls(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    result[key] = item !== null && typeof item === 'object' && !Array.isArray(item) ? withoutNulls(item) : item;
  }
  return result;
}

/** Applies changed fields to a record: nested objects merge, other values replace. */
function mergeFields(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = merged[key];
    const bothObjects = [current, value].every((item) => item !== null && typeof item === 'object' && !Array.isArray(item));
    merged[key] = bothObjects ? mergeFields(current as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return merged;
}
