import type { OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { isExpiredResponse } from './expired-response.js';

function response(status: number, body: unknown = null): HttpResponse {
  const rawBody = body === null ? '' : JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json' }, body, rawBody, durationMs: 1, url: 'https://provider.example/things' };
}

function method(expiredWhen?: OAuth2AuthorizationCodeAuth['refresh']['expiredWhen']): OAuth2AuthorizationCodeAuth {
  return {
    type: 'oauth2AuthorizationCode',
    authorizationUrl: 'https://provider.example/authorize',
    tokenUrl: 'https://provider.example/token',
    scopes: [],
    pkce: false,
    refresh: expiredWhen === undefined ? {} : { expiredWhen },
  };
}

describe('isExpiredResponse', () => {
  it('treats 401 as expired by default', () => {
    expect(isExpiredResponse(method(), response(401))).toBe(true);
    expect(isExpiredResponse(method(), response(403))).toBe(false);
    expect(isExpiredResponse(method(), response(200))).toBe(false);
  });

  it('matches a body value', () => {
    const oauth = method([{ status: 401, bodyPath: 'category', equals: 'EXPIRED_AUTHENTICATION' }]);

    expect(isExpiredResponse(oauth, response(401, { category: 'EXPIRED_AUTHENTICATION' }))).toBe(true);
    expect(isExpiredResponse(oauth, response(401, { category: 'INVALID_AUTHENTICATION' }))).toBe(false);
    expect(isExpiredResponse(oauth, response(400, { category: 'EXPIRED_AUTHENTICATION' }))).toBe(false);
  });

  it('matches any listed condition', () => {
    const oauth = method([{ status: 401 }, { bodyPath: 'errors.0.errorCode', oneOf: ['INVALID_SESSION_ID', 'SESSION_EXPIRED'] }]);

    expect(isExpiredResponse(oauth, response(400, { errors: [{ errorCode: 'SESSION_EXPIRED' }] }))).toBe(true);
    expect(isExpiredResponse(oauth, response(400, { errors: [{ errorCode: 'MALFORMED_QUERY' }] }))).toBe(false);
  });

  it('never matches an empty list', () => {
    expect(isExpiredResponse(method([]), response(401))).toBe(false);
  });

  it('ignores non-OAuth methods', () => {
    expect(isExpiredResponse({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, response(401))).toBe(false);
  });
});
