import type { AuthMethod } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { classifyOutcome } from '../retry/index.js';
import type { HttpResponse } from '../../http/index.js';
import { withAuthExpiryRules } from './auth-expiry-policy.js';

const oauth: AuthMethod = {
  type: 'oauth2AuthorizationCode',
  authorizationUrl: 'https://example.test/authorize',
  tokenUrl: 'https://example.test/token',
  scopes: [],
  pkce: true,
  refresh: { expiredWhen: [{ status: 401 }, { bodyPath: 'error.code', equals: 'TOKEN_EXPIRED' }] },
};

function response(status: number, body: unknown): HttpResponse {
  return { status, headers: {}, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://example.test/x' };
}

describe('withAuthExpiryRules', () => {
  it('treats an expiry reported in the body as expired', () => {
    const policy = withAuthExpiryRules(undefined, oauth);

    expect(classifyOutcome(policy, { response: response(400, { error: { code: 'TOKEN_EXPIRED' } }) })).toBe('authExpired');
    expect(classifyOutcome(policy, { response: response(400, { error: { code: 'OTHER' } }) })).toBe('fatal');
  });

  it('keeps the manifest body rules after the expiry rules', () => {
    const policy = withAuthExpiryRules({ bodyRules: [{ when: { bodyPath: 'status', equals: 'THROTTLED' }, outcome: 'rateLimited' }] }, oauth);

    expect(policy?.bodyRules).toHaveLength(2);
    expect(classifyOutcome(policy, { response: response(200, { status: 'THROTTLED' }) })).toBe('rateLimited');
  });

  it('leaves other auth methods alone', () => {
    const policy = { maxAttempts: 2 };

    expect(withAuthExpiryRules(policy, { type: 'bearer' })).toBe(policy);
  });
});
