import type { AuthMethod } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { findAuthorizationToStart } from './authorization-method.js';

const CODE_METHOD: AuthMethod = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://auth.test/authorize',
  tokenUrl: 'https://auth.test/token',
  scopes: [],
  pkce: true,
  refresh: {},
};
const BEARER_FIRST = { auth: [{ type: 'bearer' } as AuthMethod, CODE_METHOD] };

describe('findAuthorizationToStart', () => {
  it('starts without credentials', () => {
    expect(findAuthorizationToStart(BEARER_FIRST, undefined, undefined)).toBe(CODE_METHOD);
    expect(findAuthorizationToStart(BEARER_FIRST, { clientId: 'id', clientSecret: 'secret' }, undefined)).toBe(CODE_METHOD);
  });

  it('stores an access token as given', () => {
    expect(findAuthorizationToStart(BEARER_FIRST, { accessToken: 'token' }, undefined)).toBeNull();
    expect(findAuthorizationToStart(BEARER_FIRST, { accessToken: 'token', refreshToken: 'r' }, 'oauth2AuthorizationCode')).toBeNull();
  });

  it('honours another named method', () => {
    expect(findAuthorizationToStart(BEARER_FIRST, {}, 'bearer')).toBeNull();
    expect(findAuthorizationToStart(BEARER_FIRST, {}, 'oauth2AuthorizationCode')).toBe(CODE_METHOD);
  });

  it('prefers a method the credentials complete', () => {
    const apiKeyFirst = { auth: [{ type: 'apiKey', in: 'header', name: 'X-Key' } as AuthMethod, CODE_METHOD] };

    expect(findAuthorizationToStart(apiKeyFirst, { apiKey: 'key' }, undefined)).toBeNull();
    expect(findAuthorizationToStart(apiKeyFirst, { apiKey: 'key' }, 'oauth2AuthorizationCode')).toBe(CODE_METHOD);
  });

  it('leaves malformed credentials to connect', () => {
    expect(findAuthorizationToStart(BEARER_FIRST, 'text', undefined)).toBeNull();
    expect(findAuthorizationToStart(BEARER_FIRST, { clientId: 42 }, undefined)).toBeNull();
  });

  it('ignores connectors without the method', () => {
    expect(findAuthorizationToStart({ auth: [{ type: 'bearer' }] }, {}, undefined)).toBeNull();
  });
});
