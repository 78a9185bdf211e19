import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { describeJobError, isNonRetryable, NonRetryableJobError } from './job-errors.js';

describe('job errors', () => {
  it('marks only NonRetryableJobError as non-retryable', () => {
    expect(isNonRetryable(new NonRetryableJobError('INPUT_INVALID', 'The payload has no id.'))).toBe(true);
    expect(isNonRetryable(new LumioError('PROVIDER_UNAVAILABLE', 'The provider returned 503.'))).toBe(false);
    expect(isNonRetryable(new Error('socket hang up'))).toBe(false);
    expect(isNonRetryable('a string')).toBe(false);
  });

  it('keeps the LumioError shape of a non-retryable error', () => {
    const error = new NonRetryableJobError('INPUT_INVALID', 'The payload has no id.', { status: 400, fault: 'caller', details: { field: 'id' } });

    expect(error).toBeInstanceOf(LumioError);
    expect(error).toMatchObject({ name: 'NonRetryableJobError', code: 'INPUT_INVALID', status: 400, fault: 'caller', details: { field: 'id' } });
  });

  it('describes errors by code and message', () => {
    expect(describeJobError(new LumioError('MAPPING_FAILED', 'The mapping rejected the record.'))).toEqual({ code: 'MAPPING_FAILED', message: 'The mapping rejected the record.' });
    expect(describeJobError(new TypeError('x is undefined'))).toEqual({ code: 'JOB_FAILED', message: 'x is undefined' });
    expect(describeJobError(new Error(''))).toEqual({ code: 'JOB_FAILED', message: 'Error' });
    expect(describeJobError(42)).toEqual({ code: 'JOB_FAILED', message: '42' });
  });
});
