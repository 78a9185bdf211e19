import type { OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { resolveOAuthClient } from './oauth-client.js';

const CONFIDENTIAL: OAuth2AuthorizationCodeAuth = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://auth.test/authorize',
  tokenUrl: 'https://auth.test/token',
  scopes: [],
  pkce: false,
  refresh: {},
};
const PUBLIC: OAuth2AuthorizationCodeAuth = { ...CONFIDENTIAL, pkce: true };
const OPERATOR = { GOOGLE_ADS: { clientId: 'operator-id', clientSecret: 'operator-secret' } };

function catchCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error.code;
    throw error;
  }
  throw new Error('expected a LumioError');
}

describe('resolveOAuthClient', () => {
  it('prefers the request client', () => {
    expect(resolveOAuthClient('google-ads', CONFIDENTIAL, { clientId: 'own-id', clientSecret: 'own-secret' }, OPERATOR)).toEqual({ clientId: 'own-id', clientSecret: 'own-secret', source: 'request' });
  });

  it('falls back to the operator client', () => {
    expect(resolveOAuthClient('google-ads', CONFIDENTIAL, {}, OPERATOR)).toEqual({ clientId: 'operator-id', clientSecret: 'operator-secret', source: 'operator' });
  });

  it('never mixes request and operator', () => {
    expect(catchCode(() => resolveOAuthClient('google-ads', CONFIDENTIAL, { clientId: 'own-id' }, OPERATOR))).toBe('OAUTH_CLIENT_MISSING');
    expect(catchCode(() => resolveOAuthClient('google-ads', CONFIDENTIAL, { clientSecret: 'own-secret' }, OPERATOR))).toBe('CREDENTIALS_INVALID');
  });

  it('lets a PKCE client go without a secret', () => {
    expect(resolveOAuthClient('google-ads', PUBLIC, { clientId: 'spa' }, {})).toEqual({ clientId: 'spa', source: 'request' });
    expect(catchCode(() => resolveOAuthClient('google-ads', { ...PUBLIC, clientAuthentication: 'basic' }, { clientId: 'spa' }, {}))).toBe('OAUTH_CLIENT_MISSING');
  });

  it('names the variables when none is set', () => {
    try {
      resolveOAuthClient('google-ads', CONFIDENTIAL, {}, {});
      throw new Error('expected a LumioError');
    } catch (error) {
      expect((error as LumioError).message).toContain('LUMIO_OAUTH_GOOGLE_ADS_CLIENT_ID');
    }
  });

  it('rejects token fields', () => {
    expect(catchCode(() => resolveOAuthClient('google-ads', CONFIDENTIAL, { clientId: 'id', clientSecret: 's', refreshToken: 'r' }, {}))).toBe('CREDENTIALS_INVALID');
  });
});
