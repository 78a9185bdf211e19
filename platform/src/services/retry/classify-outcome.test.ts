import type { RetryPolicy } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { ProviderRequestError } from '../../runtime/provider-request-error.js';
import { classifyOutcome, type RetryOutcome } from './classify-outcome.js';

function buildResponse(status: number, body: unknown = {}, headers: Record<string, string> = {}): HttpResponse {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers, body, rawBody, durationMs: 1, url: 'https://api.example.test/items' };
}

function networkError(code: 'PROVIDER_UNREACHABLE' | 'PROVIDER_TIMEOUT'): LumioError {
  return new LumioError(code, 'The request failed before a response arrived.', { status: 502, fault: 'provider' });
}

const THROTTLED_RULE: RetryPolicy = {
  bodyRules: [{ when: { bodyPath: 'errors.0.extensions.code', equals: 'THROTTLED' }, outcome: 'rateLimited' }],
};

describe('classifyOutcome by status', () => {
  const table: [number, RetryOutcome][] = [
    [200, 'success'],
    [204, 'success'],
    [400, 'fatal'],
    [401, 'authExpired'],
    [403, 'fatal'],
    [404, 'fatal'],
    [422, 'fatal'],
    [429, 'rateLimited'],
    [500, 'fatal'],
    [502, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
  ];

  for (const [status, expected] of table) {
    it(`classifies HTTP ${status} as ${expected}`, () => {
      expect(classifyOutcome(undefined, { response: buildResponse(status) })).toBe(expected);
    });
  }

  it('never retries a listed 400', () => {
    expect(classifyOutcome({ retryableStatuses: [400, 503] }, { response: buildResponse(400) })).toBe('fatal');
  });

  it('follows the manifest status lists', () => {
    const policy: RetryPolicy = { retryableStatuses: [500], rateLimitedStatuses: [420], authExpiredStatuses: [403] };
    expect(classifyOutcome(policy, { response: buildResponse(500) })).toBe('retryable');
    expect(classifyOutcome(policy, { response: buildResponse(503) })).toBe('fatal');
    expect(classifyOutcome(policy, { response: buildResponse(420) })).toBe('rateLimited');
    expect(classifyOutcome(policy, { response: buildResponse(403) })).toBe('authExpired');
    expect(classifyOutcome(policy, { response: buildResponse(401) })).toBe('fatal');
  });

  it('makes 401 fatal after refresh', () => {
    expect(classifyOutcome(undefined, { response: buildResponse(401) }, { afterRefresh: true })).toBe('fatal');
  });
});

describe('classifyOutcome body rules', () => {
  it('retries THROTTLED inside a 200', () => {
    const body = { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] };
    expect(classifyOutcome(THROTTLED_RULE, { response: buildResponse(200, body) })).toBe('rateLimited');
  });

  it('leaves other 200 bodies successful', () => {
    const body = { errors: [{ extensions: { code: 'INTERNAL' } }] };
    expect(classifyOutcome(THROTTLED_RULE, { response: buildResponse(200, body) })).toBe('success');
    expect(classifyOutcome(THROTTLED_RULE, { response: buildResponse(200, { data: {} }) })).toBe('success');
  });

  it('uses the first matching rule', () => {
    const policy: RetryPolicy = {
      bodyRules: [
        { when: { bodyPath: 'error.code', oneOf: [4, 17] }, outcome: 'rateLimited' },
        { when: { bodyPath: 'error.code' }, outcome: 'fatal' },
      ],
    };
    expect(classifyOutcome(policy, { response: buildResponse(400, { error: { code: 17 } }) })).toBe('rateLimited');
    expect(classifyOutcome(policy, { response: buildResponse(503, { error: { code: 190 } }) })).toBe('fatal');
    expect(classifyOutcome(policy, { response: buildResponse(503, { error: { code: null } }) })).toBe('retryable');
  });

  it('requires every condition part', () => {
    const policy: RetryPolicy = { bodyRules: [{ when: { status: 200, bodyPath: 'state', equals: 'busy' }, outcome: 'retryable' }] };
    expect(classifyOutcome(policy, { response: buildResponse(200, { state: 'busy' }) })).toBe('retryable');
    expect(classifyOutcome(policy, { response: buildResponse(202, { state: 'busy' }) })).toBe('success');
    expect(classifyOutcome(policy, { response: buildResponse(200, { state: 'Busy' }) })).toBe('success');
  });

  it('reads JSON sent as text', () => {
    const response = buildResponse(200, '{"errors":[{"extensions":{"code":"THROTTLED"}}]}', { 'content-type': 'text/plain' });
    expect(classifyOutcome(THROTTLED_RULE, { response })).toBe('rateLimited');
  });

  it('turns an auth rule fatal after refresh', () => {
    const policy: RetryPolicy = { bodyRules: [{ when: { bodyPath: '0.errorCode', equals: 'INVALID_SESSION_ID' }, outcome: 'authExpired' }] };
    const response = buildResponse(200, [{ errorCode: 'INVALID_SESSION_ID' }]);
    expect(classifyOutcome(policy, { response })).toBe('authExpired');
    expect(classifyOutcome(policy, { response }, { afterRefresh: true })).toBe('fatal');
  });
});

describe('classifyOutcome errors', () => {
  it('retries client network errors', () => {
    expect(classifyOutcome(undefined, { error: networkError('PROVIDER_UNREACHABLE') })).toBe('retryable');
    expect(classifyOutcome(undefined, { error: networkError('PROVIDER_TIMEOUT') })).toBe('retryable');
  });

  it('retries a raw connection reset', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyOutcome(undefined, { error: reset })).toBe('retryable');
    expect(classifyOutcome(undefined, { error: new Error('wrapped', { cause: reset }) })).toBe('retryable');
  });

  it('honours retryOnNetworkError false', () => {
    expect(classifyOutcome({ retryOnNetworkError: false }, { error: networkError('PROVIDER_UNREACHABLE') })).toBe('fatal');
  });

  it('treats other errors as fatal', () => {
    const aborted = new LumioError('REQUEST_ABORTED', 'The request was cancelled by the caller.', { status: 400, fault: 'caller' });
    const blocked = new LumioError('DESTINATION_NOT_ALLOWED', 'The host is private.', { status: 502, fault: 'connector' });
    const circuitOpen = new LumioError('PROVIDER_CIRCUIT_OPEN', 'Test API is failing.', { status: 503, fault: 'provider' });
    expect(classifyOutcome(undefined, { error: aborted })).toBe('fatal');
    expect(classifyOutcome(undefined, { error: blocked })).toBe('fatal');
    expect(classifyOutcome(undefined, { error: circuitOpen })).toBe('fatal');
    expect(classifyOutcome(undefined, { error: new TypeError('x is undefined') })).toBe('fatal');
    expect(classifyOutcome(undefined, { error: 'not an error' })).toBe('fatal');
  });

  it('reads the response of a ProviderRequestError', () => {
    const make = (status: number, body: unknown = {}) =>
      new ProviderRequestError({ connector: 'Test', method: 'GET', target: 'https://api.example.test/items', response: buildResponse(status, body), secrets: [] });
    expect(classifyOutcome(undefined, { error: make(503) })).toBe('retryable');
    expect(classifyOutcome(undefined, { error: make(429) })).toBe('rateLimited');
    expect(classifyOutcome(undefined, { error: make(400) })).toBe('fatal');
    expect(classifyOutcome(undefined, { error: make(401) })).toBe('authExpired');
    expect(classifyOutcome(THROTTLED_RULE, { error: make(400, { errors: [{ extensions: { code: 'THROTTLED' } }] }) })).toBe('rateLimited');
  });
});
