import type { AuthMethod, OAuth2AuthorizationCodeAuth, OAuth2ClientCredentialsAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { needsRefresh } from './needs-refresh.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

const authorizationCode: OAuth2AuthorizationCodeAuth = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://provider.example/authorize',
  tokenUrl: 'https://provider.example/token',
  scopes: [],
  pkce: false,
  refresh: {},
};

const clientCredentials: OAuth2ClientCredentialsAuth = { type: 'oauth2ClientCredentials', tokenUrl: 'https://provider.example/token', refresh: { refreshBeforeSeconds: 60 } };

describe('needsRefresh', () => {
  it('refreshes within the default 300 seconds', () => {
    const credentials = { accessToken: 'token', expiresAt: String(NOW + 299_000) };

    expect(needsRefresh(authorizationCode, credentials, NOW)).toBe(true);
  });

  it('keeps a token outside the window', () => {
    const credentials = { accessToken: 'token', expiresAt: String(NOW + 301_000) };

    expect(needsRefresh(authorizationCode, credentials, NOW)).toBe(false);
  });

  it('refreshes exactly at the window edge', () => {
    const credentials = { accessToken: 'token', expiresAt: String(NOW + 300_000) };

    expect(needsRefresh(authorizationCode, credentials, NOW)).toBe(true);
  });

  it('uses the manifest refreshBeforeSeconds', () => {
    const credentials = { accessToken: 'token', expiresAt: String(NOW + 90_000) };

    expect(needsRefresh(clientCredentials, credentials, NOW)).toBe(false);
    expect(needsRefresh(clientCredentials, credentials, NOW + 30_000)).toBe(true);
  });

  it('refreshes an already expired token', () => {
    expect(needsRefresh(authorizationCode, { accessToken: 'token', expiresAt: String(NOW - 1) }, NOW)).toBe(true);
  });

  it('accepts a numeric expiresAt', () => {
    expect(needsRefresh(authorizationCode, { accessToken: 'token', expiresAt: NOW + 10_000 }, NOW)).toBe(true);
  });

  it('leaves an unknown expiry alone', () => {
    expect(needsRefresh(authorizationCode, { accessToken: 'token' }, NOW)).toBe(false);
    expect(needsRefresh(authorizationCode, { accessToken: 'token', expiresAt: 'soon' }, NOW)).toBe(false);
    expect(needsRefresh(authorizationCode, { accessToken: 'token', expiresAt: '' }, NOW)).toBe(false);
  });

  it('refreshes when no access token exists', () => {
    expect(needsRefresh(clientCredentials, { clientId: 'id', clientSecret: 'secret' }, NOW)).toBe(true);
    expect(needsRefresh(clientCredentials, { accessToken: '' }, NOW)).toBe(true);
  });

  it('ignores other auth methods', () => {
    const bearer: AuthMethod = { type: 'bearer' };

    expect(needsRefresh(bearer, { accessToken: 'token', expiresAt: String(NOW - 1) }, NOW)).toBe(false);
  });
});
