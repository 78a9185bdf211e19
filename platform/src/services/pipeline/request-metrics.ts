import { isLumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import type { RetryOutcome } from '../retry/index.js';

/**
 * Status label of one send: the HTTP status as text, `timeout` or `network_error` when no
 * response arrived, and `aborted` when the caller cancelled the request.
 */
export type SendStatus = string;

/**
 * Kind of failure of one send. `rate_limited` covers a 429 and a throttle error that a
 * manifest body rule finds inside a 2xx. `provider_error` covers any other response that
 * is neither a 4xx nor a 5xx and that the retry policy does not count as a success.
 */
export type SendErrorType = 'timeout' | 'network_error' | 'rate_limited' | 'auth' | 'client_error' | 'server_error' | 'provider_error';

/** One HTTP request sent to a provider, as the request pipeline reports it. */
export interface ProviderSend {
  /** Connector id, e.g. "hubspot". */
  provider: string;
  /** HTTP method, e.g. "GET". */
  method: string;
  /** 1 for the first send of a request, 2 for its first retry, and so on. */
  attempt: number;
  status: SendStatus;
  /** Absent when the send succeeded or the caller aborted it. */
  errorType?: SendErrorType;
  /** Time from the send to the end of the response body or the error, in seconds. */
  durationSeconds: number;
}

/**
 * Receives every HTTP send of the request pipeline. A Prometheus adapter maps it onto
 * `integration_requests_total`, `integration_request_duration_seconds`,
 * `integration_errors_total` and, for sends after the first, `integration_retries_total`.
 */
export interface RequestMetrics {
  sent(send: ProviderSend): void;
}

/** Metrics that record nothing, used when the caller passes none. */
export const noopRequestMetrics: RequestMetrics = {
  sent: () => undefined,
};

/**
 * Derives the status label and error type of one send from its response, or from the
 * error it raised when no response arrived. `outcome` is the retry policy's
 * classification of the response.
 */
export function describeSend(response: HttpResponse | undefined, error: unknown, outcome: RetryOutcome | undefined): Pick<ProviderSend, 'status' | 'errorType'> {
  if (response === undefined) return describeMissingResponse(error);

  const status = String(response.status);
  const errorType = classifyResponse(response.status, outcome);
  return errorType === undefined ? { status } : { status, errorType };
}

function describeMissingResponse(error: unknown): Pick<ProviderSend, 'status' | 'errorType'> {
  if (isLumioError(error) && error.code === 'REQUEST_ABORTED') return { status: 'aborted' };
  if (isTimeout(error)) return { status: 'timeout', errorType: 'timeout' };
  return { status: 'network_error', errorType: 'network_error' };
}

function isTimeout(error: unknown): boolean {
  if (isLumioError(error)) return error.code === 'PROVIDER_TIMEOUT';
  return error instanceof Error && error.name === 'TimeoutError';
}

function classifyResponse(status: number, outcome: RetryOutcome | undefined): SendErrorType | undefined {
  if (outcome === 'rateLimited' || status === 429) return 'rate_limited';
  if (outcome === 'authExpired' || status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  if (status >= 300 || (outcome !== undefined && outcome !== 'success')) return 'provider_error';
  return undefined;
}
