import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import type { AuthMethod, ConnectorManifest } from '../runtime/manifest-types.js';
import { applyAuth, type AuthenticatedRequest } from './apply-auth.js';
import { selectAuthMethod } from './select-auth-method.js';

const SECRET = 's3cr3t-value';
const EMPTY: AuthenticatedRequest = {};

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

describe('applyAuth', () => {
  it('adds an API key header with prefix', () => {
    const method: AuthMethod = { type: 'apiKey', in: 'header', name: 'Authorization', prefix: 'Token ' };
    const request = applyAuth(method, { apiKey: SECRET }, { headers: { authorization: 'old', accept: 'x' } });
    expect(request.headers).toEqual({ accept: 'x', Authorization: `Token ${SECRET}` });
  });

  it('adds an API key query parameter', () => {
    const method: AuthMethod = { type: 'apiKey', in: 'query', name: 'api_key', credentialField: 'key' };
    const original = { query: { limit: 10 } };
    const request = applyAuth(method, { key: SECRET }, original);
    expect(request.query).toEqual({ limit: 10, api_key: SECRET });
    expect(original.query).toEqual({ limit: 10 });
  });

  it('encodes basic credentials as UTF-8', () => {
    const method: AuthMethod = { type: 'basic', usernameField: 'user', passwordField: 'pass' };
    const request = applyAuth(method, { user: 'joão', pass: 'pá:ss' }, EMPTY);
    const encoded = request.headers?.authorization?.replace('Basic ', '') ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe('joão:pá:ss');
  });

  it('sends bearer and OAuth tokens', () => {
    const bearer = applyAuth({ type: 'bearer' }, { accessToken: SECRET }, EMPTY);
    expect(bearer.headers?.authorization).toBe(`Bearer ${SECRET}`);

    const oauth: AuthMethod = {
      type: 'oauth2ClientCredentials',
      tokenUrl: 'https://auth.test/token',
      refresh: {},
    };
    expect(applyAuth(oauth, { accessToken: SECRET }, EMPTY).headers?.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('raises without leaking secrets', () => {
    const method: AuthMethod = { type: 'basic' };
    const error = captureError(() => applyAuth(method, { username: SECRET }, {}));
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toContain('"password"');
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error.details)).not.toContain(SECRET);
  });
});

describe('selectAuthMethod', () => {
  const manifest: Pick<ConnectorManifest, 'id' | 'auth'> = {
    id: 'demo',
    auth: [
      {
        type: 'oauth2AuthorizationCode',
        authorizationUrl: 'https://auth.test/authorize',
        tokenUrl: 'https://auth.test/token',
        scopes: [],
        pkce: true,
        refresh: {},
      },
      { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    ],
  };

  it('picks the first complete method', () => {
    expect(selectAuthMethod(manifest, { apiKey: SECRET }).type).toBe('apiKey');
    expect(selectAuthMethod(manifest, { apiKey: SECRET, accessToken: SECRET }).type).toBe('oauth2AuthorizationCode');
  });

  it('honours an explicit method', () => {
    expect(selectAuthMethod(manifest, { apiKey: SECRET, accessToken: SECRET }, 'apiKey').type).toBe('apiKey');
  });

  it('names fields an explicit method lacks', () => {
    const error = captureError(() => selectAuthMethod(manifest, { accessToken: SECRET }, 'apiKey'));
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toContain('"apiKey"');
    expect(error.message).not.toContain(SECRET);
  });

  it('treats empty values as missing', () => {
    const error = captureError(() => selectAuthMethod(manifest, { apiKey: '', accessToken: '' }));
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.message).toContain('apiKey (apiKey)');
    expect(error.message).toContain('oauth2AuthorizationCode (accessToken)');
  });

  it('rejects an unknown method type', () => {
    const error = captureError(() => selectAuthMethod(manifest, { apiKey: SECRET }, 'basic'));
    expect(error.code).toBe('AUTH_METHOD_UNSUPPORTED');
  });
});
