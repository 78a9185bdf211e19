import { describe, expect, it } from 'vitest';

import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { describeSend } from './request-metrics.js';

function responseWith(status: number): HttpResponse {
  return { status, headers: {}, body: null, rawBody: '', durationMs: 1, url: 'https://api.example.com/items' };
}

describe('describeSend', () => {
  it('labels a 2xx success without an error type', () => {
    expect(describeSend(responseWith(200), undefined, 'success')).toEqual({ status: '200' });
    expect(describeSend(responseWith(204), undefined, 'success')).toEqual({ status: '204' });
  });

  it('classifies error statuses', () => {
    const cases: Array<[number, string]> = [
      [429, 'rate_limited'],
      [401, 'auth'],
      [403, 'auth'],
      [400, 'client_error'],
      [404, 'client_error'],
      [500, 'server_error'],
      [503, 'server_error'],
      [302, 'provider_error'],
    ];
    for (const [status, errorType] of cases) {
      expect(describeSend(responseWith(status), undefined, 'fatal'), `status ${status}`).toEqual({ status: String(status), errorType });
    }
  });

  it('uses the retry outcome of a 2xx body rule', () => {
    expect(describeSend(responseWith(200), undefined, 'rateLimited')).toEqual({ status: '200', errorType: 'rate_limited' });
    expect(describeSend(responseWith(200), undefined, 'authExpired')).toEqual({ status: '200', errorType: 'auth' });
    expect(describeSend(responseWith(200), undefined, 'fatal')).toEqual({ status: '200', errorType: 'provider_error' });
    expect(describeSend(responseWith(400), undefined, 'rateLimited')).toEqual({ status: '400', errorType: 'rate_limited' });
  });

  it('labels a timeout without a response', () => {
    const timeout = new LumioError('PROVIDER_TIMEOUT', 'The request timed out.', { status: 504, fault: 'provider' });
    expect(describeSend(undefined, timeout, undefined)).toEqual({ status: 'timeout', errorType: 'timeout' });

    const abortTimeout = new DOMException('The operation timed out.', 'TimeoutError');
    expect(describeSend(undefined, abortTimeout, undefined)).toEqual({ status: 'timeout', errorType: 'timeout' });
  });

  it('labels other failures without a response as network errors', () => {
    const unreachable = new LumioError('PROVIDER_UNREACHABLE', 'The request failed before a response arrived.', { status: 502, fault: 'provider' });
    expect(describeSend(undefined, unreachable, undefined)).toEqual({ status: 'network_error', errorType: 'network_error' });
    expect(describeSend(undefined, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), undefined)).toEqual({ status: 'network_error', errorType: 'network_error' });
    expect(describeSend(undefined, 'not an error', undefined)).toEqual({ status: 'network_error', errorType: 'network_error' });
  });

  it('labels a caller abort without an error type', () => {
    const aborted = new LumioError('REQUEST_ABORTED', 'The request was cancelled by the caller.', { status: 400, fault: 'caller' });
    expect(describeSend(undefined, aborted, undefined)).toEqual({ status: 'aborted' });
  });
});
