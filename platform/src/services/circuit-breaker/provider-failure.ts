import { isLumioError } from '../../errors/index.js';
import { isNetworkError, readErrorResponse } from '../retry/index.js';

// Lumio codes of a provider that sent no response, responded with 429 or 5xx, or kept
// failing until retries ran out.
const PROVIDER_FAILURE_CODES = new Set(['PROVIDER_RETRIES_EXHAUSTED', 'PROVIDER_UNREACHABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_RATE_LIMITED']);

/**
 * Tests whether an error counts against a provider's circuit breaker: a 5xx or 429
 * response (also inside a `ProviderRequestError`), exhausted retries, a network error or
 * a timeout. Errors the caller caused (400, 401, 404, 422, an abort) and platform errors
 * do not count, so bad input cannot pause a provider for everyone on the connection.
 */
export function isProviderFailure(error: unknown): boolean {
  const status = readErrorResponse(error)?.status;
  if (status !== undefined) return status >= 500 || status === 429;

  if (isLumioError(error)) return PROVIDER_FAILURE_CODES.has(error.code);
  return isNetworkError(error);
}
