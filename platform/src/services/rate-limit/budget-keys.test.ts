import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { resolveBudgets } from './budget-keys.js';

const BUDGETS: RateLimitBudget[] = [
  { name: 'burst', scope: 'account', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 },
  { name: 'search', scope: 'endpointGroup', endpointGroup: 'search', algorithm: 'slidingWindow', limit: 5, intervalMs: 1000 },
  { name: 'daily', scope: 'connection', algorithm: 'tokenBucket', limit: 1000, intervalMs: 86_400_000 },
];

function errorCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isLumioError(error) ? error.code : 'not a LumioError';
  }
  return undefined;
}

describe('resolveBudgets', () => {
  it('skips group budgets of other groups', () => {
    const resolved = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', budgets: BUDGETS });

    expect(resolved.map((entry) => entry.budget.name)).toEqual(['burst', 'daily']);
  });

  it('adds the matching group budget', () => {
    const resolved = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', endpointGroup: 'search', budgets: BUDGETS });

    expect(resolved.map((entry) => entry.budget.name)).toEqual(['burst', 'search', 'daily']);
  });

  it('keys account budgets by account', () => {
    const first = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', accountKey: '4711', endpointGroup: 'search', budgets: BUDGETS });
    const second = resolveBudgets({ connector: 'hubspot', connectionId: 'c2', accountKey: '4711', endpointGroup: 'search', budgets: BUDGETS });

    expect(first.map((entry) => entry.key)).toEqual([
      'hubspot:account:a.4711:burst',
      'hubspot:group.search:a.4711:search',
      'hubspot:connection:c.c1:daily',
    ]);
    expect(second[0]?.key).toBe(first[0]?.key);
    expect(second[1]?.key).toBe(first[1]?.key);
    expect(second[2]?.key).not.toBe(first[2]?.key);
  });

  it('falls back to the connection id', () => {
    const resolved = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', budgets: BUDGETS });

    expect(resolved[0]?.key).toBe('hubspot:account:c.c1:burst');
  });

  it('encodes separators inside parts', () => {
    const resolved = resolveBudgets({ connector: 'shop', connectionId: 'a:b', accountKey: 'x:y', budgets: BUDGETS });

    expect(resolved.map((entry) => entry.key)).toEqual(['shop:account:a.x%3Ay:burst', 'shop:connection:c.a%3Ab:daily']);
  });

  it('lists every group for snapshots', () => {
    const resolved = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', budgets: BUDGETS, allGroups: true });

    expect(resolved).toHaveLength(3);
  });

  it('rejects invalid budgets', () => {
    const invalid: RateLimitBudget[][] = [
      [{ ...BUDGETS[0]!, limit: 0 }],
      [{ ...BUDGETS[0]!, limit: 1.5 }],
      [{ ...BUDGETS[0]!, intervalMs: 0 }],
      [{ ...BUDGETS[0]!, algorithm: 'fixedWindow' as never }],
      [{ ...BUDGETS[0]!, scope: 'tenant' as never }],
      [{ ...BUDGETS[1]!, endpointGroup: undefined }],
      [{ ...BUDGETS[0]!, name: '' }],
      [BUDGETS[0]!, { ...BUDGETS[2]!, name: 'burst' }],
    ];

    for (const budgets of invalid) {
      expect(errorCode(() => resolveBudgets({ connector: 'hubspot', connectionId: 'c1', budgets }))).toBe('RATE_LIMIT_BUDGET_INVALID');
    }
  });

  it('rejects a missing connection id', () => {
    expect(errorCode(() => resolveBudgets({ connector: 'hubspot', connectionId: '', budgets: BUDGETS }))).toBe('RATE_LIMIT_REQUEST_INVALID');
  });
});
