import { createHash } from 'node:crypto';

import type { BatchOperation, ObjectDefinition } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { buildRequest, dispatchRequest, getPath, prepareRequest, selectRecords, type ConnectorContext } from '../runtime/index.js';
import { listTemplateVariables } from '../templates/index.js';
import type { MatchKey } from './match-key.js';
import { isPlainPath, writePath } from './plain-path.js';

// The manifest's batch write operations: which one serves a create or an update, the
// input each record becomes, and sending one batch.

export type BatchOperationName = 'batchUpsert' | 'batchCreate' | 'batchUpdate';

/** Operations an object offers for records new to the provider, and for records the provider already has. */
export interface OperationChoice {
  create: 'batchUpsert' | 'batchCreate' | undefined;
  update: 'batchUpdate' | 'batchUpsert' | undefined;
}

/**
 * Chooses the batch operations of an object. A create prefers `batchUpsert`, which a retry
 * cannot turn into a second record, over `batchCreate`. An update prefers `batchUpdate`,
 * which addresses the record by its external id, over `batchUpsert`, which finds it by
 * the match field.
 */
export function chooseOperations(definition: ObjectDefinition): OperationChoice {
  const operations = definition.operations;
  const choice: OperationChoice = { create: undefined, update: undefined };
  if (operations.batchUpsert) choice.create = 'batchUpsert';
  else if (operations.batchCreate) choice.create = 'batchCreate';

  if (operations.batchUpdate) choice.update = 'batchUpdate';
  else if (operations.batchUpsert) choice.update = 'batchUpsert';
  return choice;
}

/** True when the operation's query, headers or body use `{{ idempotencyKey }}`, so the provider can drop a repeated request. */
export function usesIdempotencyKey(operation: BatchOperation): boolean {
  const templates: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') templates.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(operation.query);
  collect(operation.headers);
  collect(operation.body);
  return templates.some((template) => listTemplateVariables(template).includes('idempotencyKey'));
}

/**
 * Builds the input of one record. An upsert input carries the match field's name as
 * `idProperty` and its value as `id`, as HubSpot's batch upsert expects. An update input
 * carries the external id at the object's primary key, and a create input is the payload
 * alone.
 *
 * NOTE: the manifest's batch operation has no key for the shape of an upsert input, so the
 * HubSpot shape is assumed for every `batchUpsert`.
 */
export function buildBatchInput(
  name: BatchOperationName,
  definition: ObjectDefinition,
  payload: Record<string, unknown>,
  identity: { externalId?: string; matchKey?: MatchKey; matchValue?: unknown },
): Record<string, unknown> {
  const input = structuredClone(payload);
  if (name === 'batchUpsert' && identity.matchKey) {
    input.idProperty = identity.matchKey.idProperty;
    input.id = identity.matchValue;
  } else if (name === 'batchUpdate' && identity.externalId !== undefined && isPlainPath(definition.primaryKey)) {
    writePath(input, definition.primaryKey, identity.externalId);
  }
  return input;
}

/** Derives a stable key for a batch from its write ids, so a resent batch carries the same key. */
export function computeIdempotencyKey(writeIds: readonly string[]): string {
  return createHash('sha256').update([...writeIds].sort().join('\n')).digest('hex').slice(0, 48);
}

export interface BatchResponse {
  /** HTTP status, e.g. 200 or 207. */
  status: number;
  /** Records the provider wrote, from `resultsSelector`. */
  results: unknown[];
  /** Per-record errors, from `errorsPath`. */
  errors: unknown[];
  requestId: string | undefined;
}

export interface SendBatchOptions {
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  idempotencyKey: string;
  signal?: AbortSignal;
}

/**
 * Sends one batch through the runtime, so the connection's rate limits, retries and
 * circuit breaker apply, and reads the written records and per-record errors. A non-2xx
 * status raises `ProviderRequestError` or the shared services' error.
 */
export async function sendBatch(ctx: ConnectorContext, name: BatchOperationName, operation: BatchOperation, inputs: unknown[], options: SendBatchOptions): Promise<BatchResponse> {
  const request = buildRequest(ctx, operation, { idempotencyKey: options.idempotencyKey }, options.signal);
  const body = request.body === undefined ? {} : request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new LumioError('CONNECTOR_BATCH_BODY_INVALID', `The ${name} operation of "${options.object}" has a body that is not a JSON object, so there is nowhere to put the records; fix the manifest.`, {
      status: 502,
      fault: 'connector',
    });
  }
  writePath(body as Record<string, unknown>, operation.inputsPath, inputs);
  request.body = body;

  const info = { operation: name, object: options.object, ...(operation.endpointGroup ? { endpointGroup: operation.endpointGroup } : {}) };
  const response = await dispatchRequest(ctx, await prepareRequest(ctx, request, info), info);

  const selected = getPath(response.body, operation.resultsSelector.path);
  const results = selected === undefined || selected === null ? [] : selectRecords(response.body, operation.resultsSelector, { object: options.object, operation: name });
  const errors = operation.errorsPath === undefined ? [] : getPath(response.body, operation.errorsPath);
  return { status: response.status, results, errors: Array.isArray(errors) ? errors : [], requestId: response.requestId };
}
