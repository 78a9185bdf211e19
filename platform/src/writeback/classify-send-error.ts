import { isLumioError } from '../errors/index.js';
import { ProviderRequestError } from '../runtime/index.js';

/**
 * Outcome of a failed batch request for its records:
 * - `rejected`: the provider refused the request as invalid (400, 404, 409, 413, 422), so nothing was written;
 * - `auth`: the credentials were refused (401, 403);
 * - `connector`: the manifest or connection config is wrong (a host not allowed, a bad URL), so every retry fails the same way;
 * - `notSent`: the request was not applied (rate limited, circuit open, connection refused), so a retry is safe;
 * - `ambiguous`: the provider may have applied it before failing (5xx, timeout, reset).
 */
export type SendFailure = 'rejected' | 'auth' | 'connector' | 'notSent' | 'ambiguous';

const REJECTED_STATUSES = new Set([400, 404, 409, 413, 422]);

/** Classifies an error raised while sending a batch; undefined for errors of the platform itself. */
export function classifySendError(error: unknown): SendFailure | undefined {
  if (error instanceof ProviderRequestError) return classifyStatus(error.providerStatus);
  if (!isLumioError(error)) return undefined;

  switch (error.code) {
    case 'PROVIDER_RETRIES_EXHAUSTED': {
      const status = error.details.lastStatus;
      if (typeof status === 'number') return classifyStatus(status);
      return error.details.lastErrorCode === 'ECONNREFUSED' ? 'notSent' : 'ambiguous';
    }
    case 'PROVIDER_CIRCUIT_OPEN':
      return 'notSent';
    case 'PROVIDER_UNREACHABLE':
      return error.details.errorCode === 'ECONNREFUSED' ? 'notSent' : 'ambiguous';
    case 'PROVIDER_TIMEOUT':
    case 'REQUEST_ABORTED':
      return 'ambiguous';
    default:
      if (error.fault === 'provider') return 'ambiguous';
      return error.fault === 'connector' || error.fault === 'caller' ? 'connector' : undefined;
  }
}

function classifyStatus(status: number): SendFailure {
  if (status === 429) return 'notSent';
  if (status === 401 || status === 403) return 'auth';
  if (REJECTED_STATUSES.has(status)) return 'rejected';
  return status >= 500 ? 'ambiguous' : 'rejected';
}
