import { LumioError } from '../../errors/index.js';
import type { AcquireOptions } from './rate-limit-types.js';

/** Raises `RATE_LIMIT_REQUEST_INVALID` unless the priority is "interactive" or "bulk". */
export function assertPriority(options: AcquireOptions): void {
  if (options.priority === 'interactive' || options.priority === 'bulk') return;
  throw new LumioError('RATE_LIMIT_REQUEST_INVALID', `The request priority ${JSON.stringify(options.priority)} is invalid; pass "interactive" or "bulk".`, {
    status: 500,
    fault: 'platform',
  });
}

export function closedError(): LumioError {
  return new LumioError('RATE_LIMITER_CLOSED', 'The rate limiter was closed; create a new one before sending requests.', { status: 503, fault: 'platform' });
}

export function closedWhileWaitingError(): LumioError {
  return new LumioError('RATE_LIMITER_CLOSED', 'The rate limiter was closed while the request waited for a rate-limit budget.', {
    status: 503,
    fault: 'platform',
  });
}

/** Builds `RATE_LIMITED` for a request whose wait would pass its `maxWaitMs`; `budget` names the budget that held it back longest. */
export function tooLongError(options: AcquireOptions, budget: string, waitMs: number, maxWaitMs: number): LumioError {
  const { connector, connectionId } = options;
  return new LumioError(
    'RATE_LIMITED',
    `The "${budget}" rate limit of ${connector} needs a wait of ${waitMs} ms, more than the ${maxWaitMs} ms allowed; retry later.`,
    { status: 429, fault: 'provider', details: { connector, connectionId, budget, retryAfterMs: waitMs } },
  );
}

export function abortError(options: AcquireOptions): LumioError {
  return new LumioError('REQUEST_ABORTED', `The request to ${options.connector} was cancelled by the caller while it waited for a rate-limit budget.`, {
    status: 400,
    fault: 'caller',
    cause: options.signal?.reason,
    details: { connector: options.connector, connectionId: options.connectionId },
  });
}
