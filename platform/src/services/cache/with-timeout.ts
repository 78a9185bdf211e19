import { LumioError } from '../../errors/index.js';

/**
 * Resolves like `promise`, or rejects with `CACHE_L2_TIMEOUT` after `timeoutMs`
 * milliseconds. The command itself is not cancelled, and a later rejection of it is
 * handled by the race, so it never surfaces as an unhandled rejection.
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, command: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeoutError(command, timeoutMs)), timeoutMs);
  });

  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the error of a Redis command that took longer than `timeoutMs` milliseconds. */
export function timeoutError(command: string, timeoutMs: number): LumioError {
  return new LumioError('CACHE_L2_TIMEOUT', `The Redis command ${command} took longer than ${timeoutMs} ms; check that Redis is reachable.`, {
    status: 503,
    fault: 'platform',
    details: { command, timeoutMs },
  });
}
