import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { loadConfig, oauthConnectorKey } from '../../platform/src/config/index.js';
import { LumioError } from '../../platform/src/errors/index.js';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');

function configError(env: Record<string, string>): LumioError {
  try {
    loadConfig(env, process.cwd());
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('master key configuration', () => {
  it('reads LUMIO_MASTER_KEYS in order', () => {
    expect(loadConfig({ LUMIO_MASTER_KEYS: ` ${KEY_A}, ${KEY_B} ` }, process.cwd()).masterKeys).toEqual([KEY_A, KEY_B]);
    expect(loadConfig({}, process.cwd()).masterKeys).toBeUndefined();
  });

  it('rejects both key variables', () => {
    const error = configError({ LUMIO_MASTER_KEYS: KEY_A, LUMIO_MASTER_KEY: KEY_B });

    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details.variable).toBe('LUMIO_MASTER_KEYS');
  });

  it('rejects a short key in the list', () => {
    const error = configError({ LUMIO_MASTER_KEYS: `${KEY_A},${randomBytes(16).toString('base64')}` });

    expect(error.message).toContain('Entry 2');
    expect(error.message).not.toContain(KEY_A);
  });
});

describe('OAuth client configuration', () => {
  it('reads clients per connector', () => {
    const config = loadConfig(
      { LUMIO_OAUTH_HUBSPOT_CLIENT_ID: 'hub-id', LUMIO_OAUTH_HUBSPOT_CLIENT_SECRET: 'hub-secret', LUMIO_OAUTH_GOOGLE_ADS_CLIENT_ID: 'public-id' },
      process.cwd(),
    );

    expect(config.oauth.clients).toEqual({ HUBSPOT: { clientId: 'hub-id', clientSecret: 'hub-secret' }, GOOGLE_ADS: { clientId: 'public-id' } });
  });

  it('rejects a secret without an id', () => {
    const error = configError({ LUMIO_OAUTH_HUBSPOT_CLIENT_SECRET: 'hub-secret' });

    expect(error.details.variable).toBe('LUMIO_OAUTH_HUBSPOT_CLIENT_SECRET');
    expect(error.message).not.toContain('hub-secret');
  });

  it('names connector variables', () => {
    expect(oauthConnectorKey('hubspot')).toBe('HUBSPOT');
    expect(oauthConnectorKey('google-ads')).toBe('GOOGLE_ADS');
  });
});
