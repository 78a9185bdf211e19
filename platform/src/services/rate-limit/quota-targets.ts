import type { ResolvedBudget } from './budget-keys.js';
import type { QuotaReading } from './rate-limit-types.js';

/**
 * Picks the budgets that a response's quota headers describe. These are the applicable
 * budgets whose limit (and interval, when reported) equals the reported one. When none
 * matches, they are the applicable budgets that are not endpoint-group budgets, because
 * providers report their general quota. When there are none of those either, every
 * applicable budget is picked.
 */
export function pickQuotaTargets(applicable: readonly ResolvedBudget[], quota: QuotaReading): ResolvedBudget[] {
  if (quota.limit !== undefined) {
    const matching = applicable.filter(
      ({ budget }) => budget.limit === quota.limit && (quota.intervalMs === undefined || budget.intervalMs === quota.intervalMs),
    );
    if (matching.length > 0) return matching;
  }

  const general = applicable.filter(({ budget }) => budget.scope !== 'endpointGroup');
  return general.length > 0 ? general : [...applicable];
}
