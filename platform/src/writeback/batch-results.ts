import { getPath } from '../runtime/index.js';
import type { RecordWriteError } from '../store/index.js';
import type { BatchOperationName } from './batch-operations.js';
import { normalizeMatchValue, type MatchKey } from './match-key.js';

// Pairs the records and per-record errors of a batch response (HubSpot's 207 multi-status
// bodies, for one) with the writes that were sent. Providers do not promise to return
// results in input order, so results are paired by key where one exists.

/** One write as sent in a batch. */
export interface SentItem {
  writeId: string;
  /** External id for an update, or the normalised match value for an upsert or a create; undefined when neither exists. */
  key: string | undefined;
}

export type ItemOutcome =
  | { kind: 'written'; record: unknown; externalId: string }
  | { kind: 'rejected'; error: RecordWriteError };

export interface MatchResponseOptions {
  operation: BatchOperationName;
  /** Dot path of the record id in a provider record. */
  primaryKey: string;
  matchKey: MatchKey | undefined;
  /** Provider name for messages, e.g. "HubSpot". */
  provider: string;
}

/** Maximum length of a provider error, as JSON text, kept on a write. */
const MAX_PROVIDER_ERROR_LENGTH = 2_000;

/**
 * Returns one outcome per sent item, in order. A result is paired by the item's key;
 * without keys, results are paired by position when their count equals the items'. An
 * item with no result gets the provider error that names its key, or else every error the
 * response carried, or else a "no result" error.
 */
export function matchBatchResponse(items: readonly SentItem[], results: readonly unknown[], errors: readonly unknown[], options: MatchResponseOptions): ItemOutcome[] {
  const byKey = new Map<string, unknown>();
  for (const result of results) {
    const key = resultKey(result, options);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, result);
  }
  const positional = items.every((item) => item.key === undefined) && results.length === items.length;

  return items.map((item, index) => {
    let record: unknown;
    if (positional) record = results[index];
    else if (item.key !== undefined) record = byKey.get(item.key);
    const externalId = record === undefined ? undefined : readExternalId(record, options.primaryKey);
    if (record !== undefined && externalId !== undefined) return { kind: 'written', record, externalId };

    return { kind: 'rejected', error: describeMissingResult(item, errors, options, record !== undefined) };
  });
}

function resultKey(result: unknown, options: MatchResponseOptions): string | undefined {
  if (options.operation === 'batchUpdate') return readExternalId(result, options.primaryKey);
  if (options.matchKey === undefined) return undefined;
  return normalizeMatchValue(getPath(result, options.matchKey.providerPath));
}

function readExternalId(record: unknown, primaryKey: string): string | undefined {
  const id = getPath(record, primaryKey);
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

function describeMissingResult(item: SentItem, errors: readonly unknown[], options: MatchResponseOptions, resultWithoutId: boolean): RecordWriteError {
  if (resultWithoutId) {
    return { code: 'PROVIDER_RESULT_INVALID', message: `${options.provider} returned this record without an id at "${options.primaryKey}"; check the object's primaryKey in the manifest.` };
  }

  const naming = item.key === undefined ? [] : errors.filter((error) => mentions(error, item.key as string));
  const relevant = naming.length > 0 ? naming : errors;
  if (relevant.length === 0) {
    return { code: 'PROVIDER_RESULT_MISSING', message: `${options.provider} accepted the batch but returned no result for this record, so Lumio cannot tell whether it was written; send it again.` };
  }

  const messages = relevant.map(readErrorMessage).filter((message) => message !== undefined);
  const summary = messages.length > 0 ? `: ${[...new Set(messages)].join('; ')}` : '';
  return {
    code: 'PROVIDER_RECORD_REJECTED',
    message: `${options.provider} rejected this record${summary}.`,
    details: { providerErrors: relevant.slice(0, 5).map(trimProviderError) },
  };
}

/** True when a string anywhere inside the error equals the key, compared case-insensitively. */
function mentions(value: unknown, key: string): boolean {
  if (typeof value === 'string' || typeof value === 'number') return normalizeMatchValue(value) === key || String(value) === key;
  if (Array.isArray(value)) return value.some((item) => mentions(item, key));
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => mentions(item, key));
  return false;
}

function readErrorMessage(error: unknown): string | undefined {
  const message = getPath(error, 'message');
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

function trimProviderError(error: unknown): unknown {
  const text = JSON.stringify(error ?? null);
  return text.length <= MAX_PROVIDER_ERROR_LENGTH ? error : { message: readErrorMessage(error), truncated: true };
}
