import type { OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { mergeTokens, readTokenResponse } from './token-response.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

const method: OAuth2AuthorizationCodeAuth = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://provider.example/authorize',
  tokenUrl: 'https://provider.example/token',
  scopes: [],
  pkce: false,
  refresh: {},
};

function jsonResponse(body: unknown): HttpResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://provider.example/token' };
}

function textResponse(rawBody: string, contentType: string): HttpResponse {
  return { status: 200, headers: { 'content-type': contentType }, body: rawBody, rawBody, durationMs: 1, url: 'https://provider.example/token' };
}

const stored = { accessToken: 'old-access', refreshToken: 'old-refresh', expiresAt: '1', clientId: 'client-id', clientSecret: 'client-secret' };

describe('readTokenResponse', () => {
  it('reads the RFC 6749 names', () => {
    const values = readTokenResponse(method, jsonResponse({ access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 1800, token_type: 'bearer' }));

    expect(values).toEqual({ accessToken: 'new-access', refreshToken: 'new-refresh', expiresInSeconds: 1800 });
  });

  it('reads the manifest tokenFields paths', () => {
    const custom = { ...method, tokenFields: { accessToken: 'data.token', refreshToken: 'data.renew', expiresIn: 'data.ttl' } };

    const values = readTokenResponse(custom, jsonResponse({ data: { token: 'new-access', renew: 'new-refresh', ttl: '3600' } }));

    expect(values).toEqual({ accessToken: 'new-access', refreshToken: 'new-refresh', expiresInSeconds: 3600 });
  });

  it('reads a form-encoded body', () => {
    const values = readTokenResponse(method, textResponse('access_token=new-access&expires_in=60', 'application/x-www-form-urlencoded'));

    expect(values).toEqual({ accessToken: 'new-access', refreshToken: undefined, expiresInSeconds: 60 });
  });

  it('reads JSON labelled as text', () => {
    expect(readTokenResponse(method, textResponse('{"access_token":"new-access"}', 'text/plain')).accessToken).toBe('new-access');
  });

  it.each([
    ['zero', 0],
    ['a negative number', -5],
    ['text', 'soon'],
    ['null', null],
  ])('ignores an expires_in of %s', (_name, expiresIn) => {
    expect(readTokenResponse(method, jsonResponse({ access_token: 'a', expires_in: expiresIn })).expiresInSeconds).toBeUndefined();
  });

  it('reports a missing access token', () => {
    expect(readTokenResponse(method, jsonResponse({ token: 'misplaced' })).accessToken).toBeUndefined();
    expect(readTokenResponse(method, textResponse('<html>', 'text/html')).accessToken).toBeUndefined();
  });
});

describe('mergeTokens', () => {
  it('keeps the refresh token when none came', () => {
    const merged = mergeTokens(method, stored, { accessToken: 'new-access', refreshToken: undefined, expiresInSeconds: 1800 }, NOW);

    expect(merged.credentials).toEqual({ ...stored, accessToken: 'new-access', expiresAt: String(NOW + 1_800_000) });
    expect(merged.refreshTokenRotated).toBe(false);
    expect(merged.expiresAt).toBe(NOW + 1_800_000);
  });

  it('keeps a repeated refresh token', () => {
    const merged = mergeTokens(method, stored, { accessToken: 'new-access', refreshToken: 'old-refresh', expiresInSeconds: 60 }, NOW);

    expect(merged.credentials.refreshToken).toBe('old-refresh');
    expect(merged.refreshTokenRotated).toBe(false);
  });

  it('replaces a rotated refresh token', () => {
    const merged = mergeTokens(method, stored, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresInSeconds: 60 }, NOW);

    expect(merged.credentials.refreshToken).toBe('new-refresh');
    expect(merged.refreshTokenRotated).toBe(true);
  });

  it('falls back to defaultExpiresInSeconds', () => {
    const withDefault = { ...method, refresh: { defaultExpiresInSeconds: 7200 } };

    const merged = mergeTokens(withDefault, stored, { accessToken: 'new-access', refreshToken: undefined, expiresInSeconds: undefined }, NOW);

    expect(merged.credentials.expiresAt).toBe(String(NOW + 7_200_000));
  });

  it('drops an expiry it cannot know', () => {
    const merged = mergeTokens(method, stored, { accessToken: 'new-access', refreshToken: undefined, expiresInSeconds: undefined }, NOW);

    expect('expiresAt' in merged.credentials).toBe(false);
    expect(merged.expiresAt).toBeUndefined();
  });

  it('leaves the stored object unchanged', () => {
    const before = { ...stored };

    mergeTokens(method, stored, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresInSeconds: undefined }, NOW);

    expect(stored).toEqual(before);
  });
});
