import type { RetryBodyRule, RetryPolicy } from '@lumio/plugin-sdk';
import type { HttpResponse } from '../../http/index.js';
import { isNetworkError } from './network-error.js';
import { readBodyValue, matchesCondition } from './response-condition.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy } from './retry-policy.js';

/**
 * Decision after one attempt: `success` returns, `retryable` retries with backoff,
 * `rateLimited` retries and signals the rate limiter to slow down, `authExpired` refreshes
 * the token and retries once, `fatal` fails without retrying.
 */
export type RetryOutcome = 'success' | 'retryable' | 'rateLimited' | 'authExpired' | 'fatal';

/** The result of one attempt: the response it returned, or the error it raised. */
export interface AttemptResult {
  response?: HttpResponse;
  error?: unknown;
}

export interface ClassifyOutcomeOptions {
  /**
   * True when the token was refreshed earlier in this request. An auth-expired
   * response after a refresh is `fatal`, because another refresh would not fix it.
   */
  afterRefresh?: boolean;
}

/** A classification with the body rule that decided it, for messages and dead-letter records. */
export interface AttemptClassification {
  outcome: RetryOutcome;
  /** The response of the attempt, also when it arrived inside an error. */
  response?: HttpResponse;
  bodyMatch?: BodyRuleMatch;
}

/** The body rule that classified a response, and the value it read at `bodyPath`. */
export interface BodyRuleMatch {
  bodyPath: string | undefined;
  value: unknown;
  ruleOutcome: RetryBodyRule['outcome'];
}

/**
 * Classifies one attempt under a manifest's retry policy. A response is read from
 * `outcome.response`, or from the non-enumerable `response` of an error such as
 * `ProviderRequestError`, so an operation may return non-2xx responses or raise them.
 */
export function classifyOutcome(
  policy: RetryPolicy | undefined,
  outcome: AttemptResult,
  options: ClassifyOutcomeOptions = {},
): RetryOutcome {
  return classifyAttempt(resolveRetryPolicy(policy), outcome, options).outcome;
}

/**
 * Classifies one attempt against a resolved policy. Body rules come first and apply to
 * any status, so a THROTTLED error inside a 200 can be retried, and the first matching
 * rule wins. By status alone a 400 is never retried, even when a manifest lists it.
 */
export function classifyAttempt(
  policy: ResolvedRetryPolicy,
  outcome: AttemptResult,
  options: ClassifyOutcomeOptions = {},
): AttemptClassification {
  const afterRefresh = options.afterRefresh === true;
  const response = outcome.response ?? readErrorResponse(outcome.error);
  if (response === undefined) return { outcome: classifyError(policy, outcome.error) };

  for (const rule of policy.bodyRules) {
    if (!matchesCondition(rule.when, response)) continue;

    const bodyPath = rule.when.bodyPath;
    const value = bodyPath === undefined ? undefined : readBodyValue(response, bodyPath);
    const ruleOutcome = rule.outcome === 'authExpired' && afterRefresh ? 'fatal' : rule.outcome;
    return { outcome: ruleOutcome, response, bodyMatch: { bodyPath, value, ruleOutcome: rule.outcome } };
  }

  return { outcome: classifyStatus(policy, response.status, afterRefresh), response };
}

/** Returns the provider's request id of an attempt: a correlation id the error carries, else the response header. */
export function readRequestId(outcome: AttemptResult): string | undefined {
  const fromError = (outcome.error as { requestId?: unknown } | undefined)?.requestId;
  if (typeof fromError === 'string' && fromError !== '') return fromError;
  return (outcome.response ?? readErrorResponse(outcome.error))?.requestId;
}

/** Returns the HTTP response an error carries, such as the one `ProviderRequestError` keeps. */
export function readErrorResponse(error: unknown): HttpResponse | undefined {
  if (!(error instanceof Error) || !('response' in error)) return undefined;

  const response = (error as { response: unknown }).response;
  if (typeof response !== 'object' || response === null) return undefined;
  if (typeof (response as { status?: unknown }).status !== 'number') return undefined;
  return response as HttpResponse;
}

function classifyStatus(policy: ResolvedRetryPolicy, status: number, afterRefresh: boolean): RetryOutcome {
  if (status >= 200 && status < 300) return 'success';
  if (status === 400) return 'fatal';
  if (policy.authExpiredStatuses.has(status)) return afterRefresh ? 'fatal' : 'authExpired';
  if (policy.rateLimitedStatuses.has(status)) return 'rateLimited';
  if (policy.retryableStatuses.has(status)) return 'retryable';
  return 'fatal';
}

function classifyError(policy: ResolvedRetryPolicy, error: unknown): RetryOutcome {
  if (isNetworkError(error)) return policy.retryOnNetworkError ? 'retryable' : 'fatal';
  return 'fatal';
}
