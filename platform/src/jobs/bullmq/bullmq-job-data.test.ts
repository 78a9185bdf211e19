import { describe, expect, it } from 'vitest';
import { formatFailureReason, parseFailureReason, toJobState } from './bullmq-job-data.js';

describe('BullMQ failure reasons', () => {
  it('round-trips a code and message', () => {
    const reason = formatFailureReason({ code: 'MAPPING_FAILED', message: 'Field "email": not a string.\nSecond line.' });

    expect(reason).toBe('MAPPING_FAILED: Field "email": not a string.\nSecond line.');
    expect(parseFailureReason(reason)).toEqual({ code: 'MAPPING_FAILED', message: 'Field "email": not a string.\nSecond line.' });
  });

  it('reads an uncoded reason as JOB_FAILED', () => {
    expect(parseFailureReason('connect ECONNREFUSED 127.0.0.1:1')).toEqual({ code: 'JOB_FAILED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(parseFailureReason('lowercase: not a code')).toEqual({ code: 'JOB_FAILED', message: 'lowercase: not a code' });
  });

  it("reads BullMQ's stall failure as JOB_STALLED", () => {
    expect(parseFailureReason('job stalled more than allowable limit').code).toBe('JOB_STALLED');
  });
});

describe('toJobState', () => {
  it.each([
    ['waiting', 'waiting'],
    ['prioritized', 'waiting'],
    ['waiting-children', 'waiting'],
    ['delayed', 'delayed'],
    ['active', 'active'],
    ['completed', 'completed'],
    ['failed', 'dead'],
    ['unknown', null],
  ])('maps %s to %s', (state, expected) => {
    expect(toJobState(state)).toBe(expected);
  });
});
