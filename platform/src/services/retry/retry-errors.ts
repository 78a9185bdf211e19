import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import type { AttemptClassification, RetryOutcome } from './classify-outcome.js';
import type { RetryBudget } from './retry-budget.js';

/** Names the request in logs, messages and dead-letter records. */
export interface RetryContext {
  /** Connector display name, e.g. "HubSpot". */
  connector: string;
  connectionId?: string;
  /** Operation name, e.g. "contacts.list". */
  operation: string;
}

/** One attempt of a request, as dead-letter records and `onAttempt` listeners see it. */
export interface RetryAttemptRecord {
  /** 1 for the first attempt, 2 for the first retry. */
  attempt: number;
  /** When the attempt was sent, ISO 8601. */
  startedAt: string;
  durationMs: number;
  outcome: RetryOutcome;
  /** Provider HTTP status, absent when no response arrived. */
  status?: number;
  /** Lumio error code of a raised error (e.g. `PROVIDER_UNREACHABLE`), or a Node.js or undici code. */
  errorCode?: string;
  requestId?: string;
  /** Wait in milliseconds before the next attempt, absent when none followed. */
  waitMs?: number;
  /** `header` for the provider's wait header, `backoff` for jittered backoff, `refresh` after a token refresh. */
  waitSource?: 'header' | 'backoff' | 'refresh';
}

/** Why retrying stopped: the policy's `maxAttempts`, or the run's shared retry budget. */
export type GiveUpReason = 'maxAttempts' | 'budgetSpent';

export interface RetriesExhaustedErrorOptions {
  context: RetryContext;
  reason: GiveUpReason;
  attempts: readonly RetryAttemptRecord[];
  maxAttempts: number;
  budget: RetryBudget | undefined;
  elapsedMs: number;
  /** Provider error code the matching body rule read, e.g. "THROTTLED". */
  providerErrorCode: unknown;
  cause: unknown;
}

const MAX_DETAIL_LENGTH = 100;

/**
 * Builds `PROVIDER_RETRIES_EXHAUSTED`. Its `details` are a complete dead-letter record:
 * the context, every attempt with its status, wait and time, and the last status, error
 * code and request id. They hold no headers, bodies or credentials.
 */
export function buildRetriesExhaustedError(options: RetriesExhaustedErrorOptions): LumioError {
  const { context, attempts } = options;
  const last = attempts.at(-1);
  const request = `${context.connector} request "${context.operation}"`;
  const lastDescription = describeAttempt(last);
  const message =
    options.reason === 'budgetSpent'
      ? `${request} was not retried again because this run's retry budget of ${options.budget?.max ?? 0} retries is spent, and the last of its ${countAttempts(attempts.length)} ended with ${lastDescription}; run it again later.`
      : `${request} failed on ${describeAttemptCount(attempts.length)} over ${(options.elapsedMs / 1000).toFixed(1)} s, the last with ${lastDescription}; retry later or check the provider's status.`;

  return new LumioError('PROVIDER_RETRIES_EXHAUSTED', message, {
    status: 503,
    fault: 'provider',
    cause: options.cause,
    details: {
      connector: context.connector,
      connectionId: context.connectionId,
      operation: context.operation,
      reason: options.reason,
      maxAttempts: options.maxAttempts,
      budget: options.budget ? { max: options.budget.max, used: options.budget.used } : undefined,
      elapsedMs: options.elapsedMs,
      attempts: attempts.map((attempt) => ({ ...attempt })),
      lastStatus: last?.status,
      lastErrorCode: last?.errorCode,
      lastProviderErrorCode: toDetailValue(options.providerErrorCode),
      lastRequestId: last?.requestId,
    },
  });
}

/** Builds `REQUEST_ABORTED` for a request the caller cancelled between attempts. */
export function buildAbortedError(context: RetryContext, attemptsMade: number, reason: unknown): LumioError {
  const when = attemptsMade === 0 ? 'before it was sent' : `after ${countAttempts(attemptsMade)}, while waiting to retry`;
  return new LumioError('REQUEST_ABORTED', `The ${context.connector} request "${context.operation}" was cancelled by the caller ${when}.`, {
    status: 400,
    fault: 'caller',
    cause: reason,
    details: { connector: context.connector, connectionId: context.connectionId, operation: context.operation, attempts: attemptsMade },
  });
}

/**
 * Builds the error for a 2xx response that a body rule marks as a failure that is not
 * retried: `PROVIDER_AUTH_FAILED` for an auth rule that no token refresh fixed,
 * else `PROVIDER_REQUEST_FAILED`.
 */
export function buildBodyRuleError(context: RetryContext, response: HttpResponse, classification: AttemptClassification): LumioError {
  const match = classification.bodyMatch;
  const where = match?.bodyPath === undefined ? 'its body' : `"${match.bodyPath}" = ${JSON.stringify(toDetailValue(match.value))}`;
  const details = {
    connector: context.connector,
    connectionId: context.connectionId,
    operation: context.operation,
    providerStatus: response.status,
    bodyPath: match?.bodyPath,
    providerErrorCode: toDetailValue(match?.value),
    requestId: response.requestId,
  };

  if (match?.ruleOutcome === 'authExpired') {
    return new LumioError(
      'PROVIDER_AUTH_FAILED',
      `${context.connector} rejected the credentials of request "${context.operation}" with HTTP ${response.status} and ${where}, and no refreshed token fixed it; reconnect with valid credentials.`,
      { status: 502, fault: 'caller', details },
    );
  }
  return new LumioError(
    'PROVIDER_REQUEST_FAILED',
    `${context.connector} returned HTTP ${response.status} for request "${context.operation}" with an error in ${where}, which the connector's retry rules mark as a failure that is not retried; look up that error code in the provider's documentation.`,
    { status: 502, fault: 'provider', details },
  );
}

function countAttempts(count: number): string {
  return count === 1 ? '1 attempt' : `${count} attempts`;
}

function describeAttemptCount(count: number): string {
  return count === 1 ? 'its only attempt' : `all ${count} attempts`;
}

function describeAttempt(attempt: RetryAttemptRecord | undefined): string {
  if (attempt === undefined) return 'no response';

  const cause = attempt.status !== undefined ? `HTTP ${attempt.status}` : (attempt.errorCode ?? 'an error');
  return attempt.requestId === undefined ? cause : `${cause} (request id ${attempt.requestId})`;
}

// Keeps a value read from a provider body small and JSON-safe for messages and records.
function toDetailValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  return value.length > MAX_DETAIL_LENGTH ? `${value.slice(0, MAX_DETAIL_LENGTH)}…` : value;
}
