import type { BatchOperation } from '@lumio/plugin-sdk';

import { isLumioError } from '../errors/index.js';
import { applyMapping } from '../mapping/index.js';
import type { Logger } from '../observability/index.js';
import { ProviderRequestError, type ConnectorContext } from '../runtime/index.js';
import { createRetryBudget } from '../services/retry/index.js';
import type { RecordWrite, RecordWriteError, RecordWriteOutcome, StoredRecord, Store, WrittenRecord, WrittenRecordScope } from '../store/index.js';
import { readSourceUpdatedAt } from '../sync/index.js';
import { computeIdempotencyKey, sendBatch, usesIdempotencyKey, type BatchResponse } from './batch-operations.js';
import { matchBatchResponse } from './batch-results.js';
import { classifySendError } from './classify-send-error.js';
import { decideConflict } from './conflict-policy.js';
import { chunkWrites, planWrites, type PlannedWrite } from './plan-writes.js';
import { shapeLikeListing } from './provider-record.js';
import { readProviderVersions } from './provider-versions.js';
import { externalIdResolver, type WriteTarget } from './write-target.js';

/**
 * Sends the pending writes of one batch to the provider: drops writes a newer one
 * superseded, applies the conflict policy, converts the rest with the reverse mapping and
 * sends them in batches. Each batch's outcomes, and the records the provider returned, are
 * stored as soon as the batch ends, so a retried job resends only writes still pending.
 * A failure that a later attempt may fix (the provider down, rate limits) is raised.
 */
export class BatchWriter {
  readonly #store: Store;
  readonly #target: WriteTarget;
  readonly #context: ConnectorContext;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #scope: WrittenRecordScope;

  constructor(store: Store, target: WriteTarget, context: ConnectorContext, signal: AbortSignal, log: Logger) {
    this.#store = store;
    this.#target = target;
    this.#context = context;
    this.#signal = signal;
    this.#log = log;
    const { connection } = target;
    this.#scope = { workspaceId: connection.workspaceId, connectionId: connection.id, object: target.canonicalObject, sourceObject: target.sourceObject };
  }

  async write(pending: readonly RecordWrite[]): Promise<void> {
    const current = await this.skipSuperseded(pending);

    const externalIds = current.flatMap((write) => (write.externalId === null ? [] : [write.externalId]));
    const storedList = await this.#store.records.findByExternalIds(this.#target.connection.id, this.#target.canonicalObject, externalIds);
    const stored = new Map(storedList.map((record) => [record.externalId, record]));

    const allowed = await this.applyConflictPolicy(current, stored);

    const plan = await planWrites(this.#target, allowed, stored, externalIdResolver(this.#store, this.#target.connection.id));
    if (plan.failed.length > 0) await this.complete(plan.failed, []);

    const operations = this.#target.definition.operations;
    for (const chunk of chunkWrites(plan.planned, (name) => (operations[name] as BatchOperation).maxBatchSize)) {
      this.#signal.throwIfAborted();
      await this.sendChunk(chunk);
    }
  }

  /** Skips an update when a write made later in Lumio already reached the provider, so an older change never overwrites a newer one. */
  private async skipSuperseded(pending: readonly RecordWrite[]): Promise<RecordWrite[]> {
    const updates = pending.filter((write) => write.operation === 'update');
    const latest = await this.#store.recordWrites.latestSucceededChanges(updates.map((write) => write.recordId));

    const superseded: RecordWriteOutcome[] = [];
    const current = pending.filter((write) => {
      const newer = write.operation === 'update' ? latest.get(write.recordId) : undefined;
      if (newer === undefined || Date.parse(newer) <= Date.parse(write.changedAt)) return true;
      superseded.push({ id: write.id, status: 'skipped', error: { code: 'WRITE_SUPERSEDED', message: `A change made in Lumio at ${newer}, later than this one (${write.changedAt}), was already written to the record.` } });
      return false;
    });
    if (superseded.length > 0) await this.complete(superseded, []);
    return current;
  }

  /** Skips the updates the conflict policy rejects and stores the provider's version of those records. */
  private async applyConflictPolicy(writes: RecordWrite[], stored: ReadonlyMap<string, StoredRecord>): Promise<RecordWrite[]> {
    const target = this.#target;
    const updates = writes.filter((write) => write.operation === 'update' && write.externalId !== null);
    if (target.conflictPolicy === 'lumio_wins' || updates.length === 0) return writes;

    const versions = await readProviderVersions(this.#context, target, updates.map((write) => write.externalId as string), stored, this.#signal);
    const skipped: RecordWriteOutcome[] = [];
    const providerRaws: { recordId: string; externalId: string; raw: unknown }[] = [];
    const allowed = writes.filter((write) => {
      if (write.operation !== 'update' || write.externalId === null) return true;
      const version = versions.get(write.externalId);
      const reason = decideConflict({
        policy: target.conflictPolicy,
        changedAt: write.changedAt,
        baseSourceUpdatedAt: write.baseSourceUpdatedAt,
        providerUpdatedAt: version?.updatedAt ?? null,
        provider: target.manifest.name,
      });
      if (!reason) return true;

      skipped.push({ id: write.id, status: 'skipped', error: reason });
      if (version?.raw !== undefined) providerRaws.push({ recordId: write.recordId, externalId: write.externalId, raw: version.raw });
      return false;
    });

    if (skipped.length > 0) {
      this.#log.info({ skipped: skipped.length, policy: target.conflictPolicy }, 'write-back skipped updates the conflict policy rejected');
      await this.complete(skipped, await this.mapProviderRecords(providerRaws));
    }
    return allowed;
  }

  private async sendChunk(chunk: PlannedWrite[]): Promise<void> {
    const name = (chunk[0] as PlannedWrite).operation;
    const operation = this.#target.definition.operations[name] as BatchOperation;
    const writeIds = chunk.map((item) => item.write.id);
    // A batch create without an idempotency key gets no retries from the shared services,
    // because resending it after a timeout or a 5xx could create every record twice.
    const idempotent = name !== 'batchCreate' || usesIdempotencyKey(operation);
    const context = idempotent ? this.#context : { ...this.#context, retryBudget: createRetryBudget(0) };

    await this.#store.recordWrites.addAttempt(writeIds);
    let response: BatchResponse;
    try {
      response = await sendBatch(context, name, operation, chunk.map((item) => item.input), { object: this.#target.sourceObject, idempotencyKey: computeIdempotencyKey(writeIds), signal: this.#signal });
    } catch (error) {
      await this.handleSendFailure(chunk, error, idempotent);
      return;
    }

    const outcomes = matchBatchResponse(
      chunk.map((item) => ({ writeId: item.write.id, key: item.key })),
      response.results,
      response.errors,
      { operation: name, primaryKey: this.#target.definition.primaryKey, matchKey: this.#target.matchKey, provider: this.#target.manifest.name },
    );

    const results: RecordWriteOutcome[] = [];
    const written: { recordId: string; externalId: string; raw: unknown }[] = [];
    chunk.forEach((item, index) => {
      const outcome = outcomes[index] as (typeof outcomes)[number];
      if (outcome.kind === 'written') {
        results.push({ id: item.write.id, status: 'succeeded', externalId: outcome.externalId, warnings: item.warnings });
        written.push({ recordId: item.write.recordId, externalId: outcome.externalId, raw: outcome.record });
      } else {
        results.push({ id: item.write.id, status: 'failed', error: outcome.error, warnings: item.warnings });
      }
    });

    await this.complete(results, await this.mapProviderRecords(written));
    this.#log.debug({ operation: name, inputs: chunk.length, written: written.length, status: response.status, requestId: response.requestId }, 'write-back batch sent');
  }

  /**
   * Settles a batch the provider did not accept. A rejected batch is split in halves until
   * the records it rejects are found, so one bad record does not fail the others.
   */
  private async handleSendFailure(chunk: PlannedWrite[], error: unknown, idempotent: boolean): Promise<void> {
    const failure = classifySendError(error);
    const provider = this.#target.manifest.name;

    if (failure === 'rejected' && chunk.length > 1) {
      const middle = Math.ceil(chunk.length / 2);
      this.#log.info({ inputs: chunk.length, providerStatus: providerStatusOf(error) }, 'the provider rejected a write-back batch; sending its halves to find the rejected records');
      await this.sendChunk(chunk.slice(0, middle));
      await this.sendChunk(chunk.slice(middle));
      return;
    }
    if (failure === 'rejected') {
      const providerMessage = error instanceof ProviderRequestError ? error.providerMessage : undefined;
      return this.failChunk(chunk, {
        code: 'PROVIDER_RECORD_REJECTED',
        message: `${provider} rejected this record${providerMessage ? `: ${providerMessage}` : ''}.`,
        details: describeProviderError(error),
      });
    }
    if (failure === 'auth' || failure === 'connector') {
      return this.failChunk(chunk, { code: isLumioError(error) ? error.code : 'WRITE_FAILED', message: (error as Error).message, details: describeProviderError(error) });
    }
    if (failure === 'ambiguous' && !idempotent) {
      return this.failChunk(chunk, {
        code: 'WRITE_OUTCOME_UNKNOWN',
        message: `${provider} failed while creating these records and may have created some of them; the create was not sent again, to avoid duplicates, so check ${provider} before sending the records again.`,
        details: describeProviderError(error),
      });
    }

    this.#log.warn({ inputs: chunk.length, code: isLumioError(error) ? error.code : undefined, err: error }, 'a write-back batch failed; the job retries its pending writes');
    throw error;
  }

  private async failChunk(chunk: PlannedWrite[], error: RecordWriteError): Promise<void> {
    this.#log.warn({ inputs: chunk.length, code: error.code }, 'write-back records failed');
    await this.complete(chunk.map((item) => ({ id: item.write.id, status: 'failed', error, warnings: item.warnings })), []);
  }

  /** Maps provider records as the next sync would, so it finds them unchanged. */
  private async mapProviderRecords(records: { recordId: string; externalId: string; raw: unknown }[]): Promise<WrittenRecord[]> {
    if (records.length === 0) return [];
    const { definition, forward, connection } = this.#target;
    const raws = records.map((record) => shapeLikeListing(definition, record.raw));
    const lookup = async (canonicalObject: string, externalIds: string[]) => {
      const found = await this.#store.records.findByExternalIds(connection.id, canonicalObject, externalIds);
      return new Map(found.map((record) => [record.externalId, { id: record.id, data: record.data as Record<string, unknown> }]));
    };
    const mapped = await applyMapping(forward, raws, { lookup });

    return records.map((record, index) => ({
      recordId: record.recordId,
      externalId: record.externalId,
      data: mapped[index]?.data ?? {},
      raw: raws[index],
      sourceUpdatedAt: readSourceUpdatedAt(definition, raws[index]) ?? null,
    }));
  }

  private complete(outcomes: RecordWriteOutcome[], records: WrittenRecord[]): Promise<void> {
    return this.#store.recordWrites.complete({ scope: this.#scope, outcomes, records });
  }
}

function providerStatusOf(error: unknown): number | undefined {
  if (error instanceof ProviderRequestError) return error.providerStatus;
  const status = isLumioError(error) ? error.details.lastStatus : undefined;
  return typeof status === 'number' ? status : undefined;
}

function describeProviderError(error: unknown): Record<string, unknown> {
  if (error instanceof ProviderRequestError) {
    return { providerStatus: error.providerStatus, providerMessage: error.providerMessage, requestId: error.requestId };
  }
  const status = providerStatusOf(error);
  return { code: isLumioError(error) ? error.code : 'WRITE_FAILED', ...(status === undefined ? {} : { providerStatus: status }) };
}
