import { LumioError, isLumioError, type LumioErrorOptions } from '../errors/index.js';
import type { JobErrorInfo } from './job-types.js';

/** Code of a failed attempt whose error is not a `LumioError`. */
export const GENERIC_FAILURE_CODE = 'JOB_FAILED';

/**
 * An error a handler throws to fail its job at once, with no retry left: input that fails
 * the same way every time, a missing record, a rejected request. The job goes to the
 * dead-letter list, from which `retryDeadJob` restarts it once the cause is fixed.
 */
export class NonRetryableJobError extends LumioError {
  constructor(code: string, message: string, options: LumioErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NonRetryableJobError';
  }
}

export function isNonRetryable(error: unknown): boolean {
  return error instanceof NonRetryableJobError;
}

/** Returns the code and message stored for a failed attempt. */
export function describeJobError(error: unknown): JobErrorInfo {
  if (isLumioError(error)) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    return { code: GENERIC_FAILURE_CODE, message: error.message || error.name };
  }
  return { code: GENERIC_FAILURE_CODE, message: String(error) };
}
