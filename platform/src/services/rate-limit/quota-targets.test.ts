import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { resolveBudgets } from './budget-keys.js';
import { pickQuotaTargets } from './quota-targets.js';

const BUDGETS: RateLimitBudget[] = [
  { name: 'burst', scope: 'account', algorithm: 'slidingWindow', limit: 100, intervalMs: 10_000 },
  { name: 'search', scope: 'endpointGroup', endpointGroup: 'search', algorithm: 'slidingWindow', limit: 5, intervalMs: 1000 },
  { name: 'daily', scope: 'connection', algorithm: 'tokenBucket', limit: 250_000, intervalMs: 86_400_000 },
];
const applicable = resolveBudgets({ connector: 'hubspot', connectionId: 'c1', endpointGroup: 'search', budgets: BUDGETS });
const names = (targets: ReturnType<typeof pickQuotaTargets>) => targets.map((target) => target.budget.name);

describe('pickQuotaTargets', () => {
  it('matches the reported limit and interval', () => {
    expect(names(pickQuotaTargets(applicable, { remaining: 3, limit: 100, intervalMs: 10_000 }))).toEqual(['burst']);
    expect(names(pickQuotaTargets(applicable, { remaining: 3, limit: 5 }))).toEqual(['search']);
  });

  it('falls back to general budgets', () => {
    // HubSpot reports 190 on higher tiers, more than the manifest's 100.
    expect(names(pickQuotaTargets(applicable, { remaining: 3, limit: 190 }))).toEqual(['burst', 'daily']);
    expect(names(pickQuotaTargets(applicable, { remaining: 3, limit: 100, intervalMs: 1000 }))).toEqual(['burst', 'daily']);
    expect(names(pickQuotaTargets(applicable, { remaining: 3 }))).toEqual(['burst', 'daily']);
  });

  it('uses group budgets when alone', () => {
    const groupOnly = applicable.filter((entry) => entry.budget.scope === 'endpointGroup');

    expect(names(pickQuotaTargets(groupOnly, { remaining: 3 }))).toEqual(['search']);
  });
});
