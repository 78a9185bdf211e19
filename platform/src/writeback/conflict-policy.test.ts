import { describe, expect, it } from 'vitest';

import { decideConflict, type ConflictInput } from './conflict-policy.js';

const base: Omit<ConflictInput, 'policy'> = {
  changedAt: '2025-03-01T12:00:00.000Z',
  baseSourceUpdatedAt: '2025-03-01T10:00:00.000Z',
  providerUpdatedAt: '2025-03-01T10:00:00.000Z',
  provider: 'HubSpot',
};

describe('decideConflict', () => {
  it('writes when the provider is unchanged', () => {
    for (const policy of ['provider_wins', 'lumio_wins', 'newest_wins'] as const) {
      expect(decideConflict({ ...base, policy }), policy).toBeUndefined();
    }
  });

  it('provider_wins skips after a provider change', () => {
    const reason = decideConflict({ ...base, policy: 'provider_wins', providerUpdatedAt: '2025-03-01T11:00:00.000Z' });

    expect(reason?.code).toBe('CONFLICT_PROVIDER_CHANGED');
    expect(reason?.message).toContain('2025-03-01T11:00:00.000Z');
    expect(reason?.message).toContain('provider_wins');
  });

  it('provider_wins skips an unknown base', () => {
    expect(decideConflict({ ...base, policy: 'provider_wins', baseSourceUpdatedAt: null })?.code).toBe('CONFLICT_PROVIDER_CHANGED');
  });

  it('newest_wins compares with the Lumio change', () => {
    const olderProviderChange = { ...base, providerUpdatedAt: '2025-03-01T11:00:00.000Z' };
    const newerProviderChange = { ...base, providerUpdatedAt: '2025-03-01T13:00:00.000Z' };

    expect(decideConflict({ ...olderProviderChange, policy: 'newest_wins' })).toBeUndefined();
    expect(decideConflict({ ...newerProviderChange, policy: 'newest_wins' })?.code).toBe('CONFLICT_PROVIDER_NEWER');
  });

  it('lumio_wins always writes', () => {
    expect(decideConflict({ ...base, policy: 'lumio_wins', providerUpdatedAt: '2030-01-01T00:00:00.000Z', baseSourceUpdatedAt: null })).toBeUndefined();
  });

  it('writes without a provider time', () => {
    expect(decideConflict({ ...base, policy: 'provider_wins', providerUpdatedAt: null })).toBeUndefined();
    expect(decideConflict({ ...base, policy: 'newest_wins', providerUpdatedAt: null })).toBeUndefined();
  });
});
