import type { OAuth2AuthorizationCodeAuth, OAuth2ClientCredentialsAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { buildTokenRequest, encodeBasicCredentials } from './token-request.js';

const TOKEN_URL = 'https://provider.example/oauth/token';

const authorizationCode: OAuth2AuthorizationCodeAuth = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://provider.example/authorize',
  tokenUrl: TOKEN_URL,
  scopes: ['contacts.read'],
  pkce: false,
  refresh: {},
};

const clientCredentials: OAuth2ClientCredentialsAuth = {
  type: 'oauth2ClientCredentials',
  tokenUrl: TOKEN_URL,
  scopes: ['reports.read', 'reports.write'],
  refresh: {},
};

const credentials = { accessToken: 'old-access', refreshToken: 'refresh-value', clientId: 'client-id', clientSecret: 'client-secret' };

function formOf(body: unknown): Record<string, string> {
  expect(body).toBeInstanceOf(URLSearchParams);
  return Object.fromEntries(body as URLSearchParams);
}

describe('buildTokenRequest', () => {
  it('sends a refresh grant in the body', () => {
    const request = buildTokenRequest(authorizationCode, credentials, TOKEN_URL);

    expect(request.method).toBe('POST');
    expect(request.url).toBe(TOKEN_URL);
    expect(request.headers?.authorization).toBeUndefined();
    expect(formOf(request.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-value', client_id: 'client-id', client_secret: 'client-secret' });
  });

  it('sends Basic client authentication', () => {
    const request = buildTokenRequest({ ...authorizationCode, clientAuthentication: 'basic' }, credentials, TOKEN_URL);

    expect(formOf(request.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-value' });
    expect(request.headers?.authorization).toBe(`Basic ${Buffer.from('client-id:client-secret').toString('base64')}`);
  });

  it('form-encodes Basic credentials first', () => {
    const header = encodeBasicCredentials('id:with colon', 'sécret+&');

    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    const [id, secret] = decoded.split(':');

    expect(decoded).toBe('id%3Awith+colon:s%C3%A9cret%2B%26');
    expect(decodeURIComponent(id!.replaceAll('+', ' '))).toBe('id:with colon');
    expect(decodeURIComponent(secret!.replaceAll('+', ' '))).toBe('sécret+&');
  });

  it('sends client credentials with scopes', () => {
    const request = buildTokenRequest({ ...clientCredentials, scopeSeparator: ',' }, credentials, TOKEN_URL);

    expect(formOf(request.body)).toEqual({ grant_type: 'client_credentials', scope: 'reports.read,reports.write', client_id: 'client-id', client_secret: 'client-secret' });
  });

  it('leaves out an empty scope', () => {
    const request = buildTokenRequest({ ...clientCredentials, scopes: [] }, credentials, TOKEN_URL);

    expect(formOf(request.body).scope).toBeUndefined();
  });

  it('lets a public client refresh', () => {
    const request = buildTokenRequest(authorizationCode, { refreshToken: 'refresh-value', clientId: 'public-id' }, TOKEN_URL);

    expect(formOf(request.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-value', client_id: 'public-id' });
  });

  it('passes the signal on', () => {
    const signal = AbortSignal.timeout(1000);

    expect(buildTokenRequest(authorizationCode, credentials, TOKEN_URL, signal).signal).toBe(signal);
  });

  it.each([
    ['a missing client id', authorizationCode, { refreshToken: 'r', clientSecret: 's' }, ['clientId']],
    ['a missing secret for Basic', { ...authorizationCode, clientAuthentication: 'basic' as const }, { refreshToken: 'r', clientId: 'c' }, ['clientSecret']],
    ['a missing secret for client credentials', clientCredentials, { clientId: 'c' }, ['clientSecret']],
    ['both client fields missing', clientCredentials, {}, ['clientId', 'clientSecret']],
  ])('rejects %s', (_name, method, given, missingFields) => {
    expect(() => buildTokenRequest(method, given, TOKEN_URL)).toThrow(expect.objectContaining({ code: 'CREDENTIALS_INVALID', status: 409, details: expect.objectContaining({ missingFields }) }));
  });
});
