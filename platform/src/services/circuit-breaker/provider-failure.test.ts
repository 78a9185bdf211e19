import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { ProviderRequestError } from '../../runtime/provider-request-error.js';
import { isProviderFailure } from './provider-failure.js';

function providerError(status: number): ProviderRequestError {
  const response: HttpResponse = { status, headers: {}, body: {}, rawBody: '{}', durationMs: 1, url: 'https://api.example.test/' };
  return new ProviderRequestError({ connector: 'Test', method: 'GET', target: 'https://api.example.test/', response, secrets: [] });
}

function lumioError(code: string, fault: 'caller' | 'provider' | 'platform' | 'connector'): LumioError {
  return new LumioError(code, 'Something failed.', { status: 502, fault });
}

describe('isProviderFailure', () => {
  it('counts provider statuses', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isProviderFailure(providerError(status)), String(status)).toBe(true);
  });

  it('ignores caller statuses', () => {
    for (const status of [400, 401, 403, 404, 409, 422]) expect(isProviderFailure(providerError(status)), String(status)).toBe(false);
  });

  it('counts network and exhausted errors', () => {
    for (const code of ['PROVIDER_UNREACHABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_RETRIES_EXHAUSTED', 'PROVIDER_RATE_LIMITED']) {
      expect(isProviderFailure(lumioError(code, 'provider')), code).toBe(true);
    }
    expect(isProviderFailure(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('ignores other errors', () => {
    expect(isProviderFailure(lumioError('REQUEST_ABORTED', 'caller'))).toBe(false);
    expect(isProviderFailure(lumioError('DESTINATION_NOT_ALLOWED', 'connector'))).toBe(false);
    expect(isProviderFailure(lumioError('PROVIDER_CIRCUIT_OPEN', 'provider'))).toBe(false);
    expect(isProviderFailure(lumioError('PROVIDER_REQUEST_FAILED', 'provider'))).toBe(false);
    expect(isProviderFailure(new TypeError('undefined is not a function'))).toBe(false);
  });
});
