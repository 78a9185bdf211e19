import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import type { HttpResponse } from '../http/index.js';
import { ProviderRequestError } from '../runtime/index.js';
import { classifySendError } from './classify-send-error.js';

function providerError(status: number): ProviderRequestError {
  const response: HttpResponse = { status, headers: {}, body: { message: 'no' }, rawBody: '{"message":"no"}', durationMs: 1, url: 'https://api.example.com/batch' };
  return new ProviderRequestError({ connector: 'Example', method: 'POST', target: 'https://api.example.com/batch', response, secrets: [] });
}

function exhausted(details: Record<string, unknown>): LumioError {
  return new LumioError('PROVIDER_RETRIES_EXHAUSTED', 'gave up', { status: 503, fault: 'provider', details });
}

describe('classifySendError', () => {
  it('classifies provider statuses', () => {
    const cases: [number, string][] = [
      [400, 'rejected'],
      [404, 'rejected'],
      [409, 'rejected'],
      [422, 'rejected'],
      [401, 'auth'],
      [403, 'auth'],
      [429, 'notSent'],
      [500, 'ambiguous'],
      [502, 'ambiguous'],
    ];
    for (const [status, expected] of cases) expect(classifySendError(providerError(status)), String(status)).toBe(expected);
  });

  it('reads the last status of exhausted retries', () => {
    expect(classifySendError(exhausted({ lastStatus: 429 }))).toBe('notSent');
    expect(classifySendError(exhausted({ lastStatus: 502 }))).toBe('ambiguous');
    expect(classifySendError(exhausted({ lastErrorCode: 'ECONNREFUSED' }))).toBe('notSent');
    expect(classifySendError(exhausted({ lastErrorCode: 'ECONNRESET' }))).toBe('ambiguous');
  });

  it('classifies transport and service errors', () => {
    expect(classifySendError(new LumioError('PROVIDER_CIRCUIT_OPEN', 'open', { fault: 'provider' }))).toBe('notSent');
    expect(classifySendError(new LumioError('PROVIDER_TIMEOUT', 'slow', { fault: 'provider' }))).toBe('ambiguous');
    expect(classifySendError(new LumioError('PROVIDER_UNREACHABLE', 'down', { fault: 'provider', details: { errorCode: 'ECONNREFUSED' } }))).toBe('notSent');
    expect(classifySendError(new LumioError('HOST_NOT_ALLOWED', 'no', { fault: 'connector' }))).toBe('connector');
  });

  it('leaves platform errors unclassified', () => {
    expect(classifySendError(new Error('bug'))).toBeUndefined();
    expect(classifySendError(new LumioError('STORE_FAILED', 'db', { fault: 'platform' }))).toBeUndefined();
  });
});
