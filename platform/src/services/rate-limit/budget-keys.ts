import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { LumioError } from '../../errors/index.js';

/** A budget that applies to one request, with the storage key it is counted under. */
export interface ResolvedBudget {
  budget: RateLimitBudget;
  /**
   * Key without the limiter's prefix: `<connector>:<scope>:<owner>:<budget name>`, where
   * scope is "connection", "account" or "group.<endpoint group>" and owner is
   * "a.<account key>" or "c.<connection id>". Parts are URI-encoded, so ":" never appears inside one.
   */
  key: string;
}

export interface ResolveBudgetsOptions {
  connector: string;
  connectionId: string;
  accountKey?: string;
  endpointGroup?: string;
  budgets: readonly RateLimitBudget[];
  /** Includes every "endpointGroup" budget whatever the request's group, for snapshots. */
  allGroups?: boolean;
}

/**
 * Picks the budgets that apply to a request and names their keys. "connection" and
 * "account" budgets apply to every request; an "endpointGroup" budget applies only to a
 * request with the same `endpointGroup`. Account and group budgets are keyed by the
 * account key, or by the connection id when there is none.
 */
export function resolveBudgets(options: ResolveBudgetsOptions): ResolvedBudget[] {
  assertNonEmpty('connector', options.connector);
  assertNonEmpty('connectionId', options.connectionId);
  validateBudgets(options.connector, options.budgets);

  const connectionOwner = `c.${encodeURIComponent(options.connectionId)}`;
  const accountOwner = options.accountKey ? `a.${encodeURIComponent(options.accountKey)}` : connectionOwner;
  const prefix = encodeURIComponent(options.connector);

  const resolved: ResolvedBudget[] = [];
  for (const budget of options.budgets) {
    const name = encodeURIComponent(budget.name);
    if (budget.scope === 'connection') {
      resolved.push({ budget, key: `${prefix}:connection:${connectionOwner}:${name}` });
    } else if (budget.scope === 'account') {
      resolved.push({ budget, key: `${prefix}:account:${accountOwner}:${name}` });
    } else if (options.allGroups || budget.endpointGroup === options.endpointGroup) {
      const group = encodeURIComponent(budget.endpointGroup ?? '');
      resolved.push({ budget, key: `${prefix}:group.${group}:${accountOwner}:${name}` });
    }
  }
  return resolved;
}

/** Raises `RATE_LIMIT_BUDGET_INVALID` for a budget the manifest schema would reject, or a repeated name. */
export function validateBudgets(connector: string, budgets: readonly RateLimitBudget[]): void {
  const names = new Set<string>();
  for (const budget of budgets) {
    const problem = describeProblem(budget, names);
    if (problem) {
      throw new LumioError('RATE_LIMIT_BUDGET_INVALID', `The rate-limit budget "${budget.name}" of "${connector}" ${problem}; fix the connector manifest.`, {
        status: 500,
        fault: 'connector',
        details: { connector, budget: budget.name },
      });
    }
    names.add(budget.name);
  }
}

function describeProblem(budget: RateLimitBudget, seenNames: Set<string>): string | undefined {
  if (typeof budget.name !== 'string' || budget.name === '') return 'has no name';
  if (seenNames.has(budget.name)) return 'is declared twice';
  if (!Number.isInteger(budget.limit) || budget.limit < 1) return `has limit ${String(budget.limit)}, which is not an integer of at least 1`;
  if (!Number.isInteger(budget.intervalMs) || budget.intervalMs < 1) return `has intervalMs ${String(budget.intervalMs)}, which is not an integer of at least 1`;
  if (budget.algorithm !== 'tokenBucket' && budget.algorithm !== 'slidingWindow') return `has the unknown algorithm "${String(budget.algorithm)}"`;
  if (budget.scope !== 'connection' && budget.scope !== 'account' && budget.scope !== 'endpointGroup') return `has the unknown scope "${String(budget.scope)}"`;
  if (budget.scope === 'endpointGroup' && !budget.endpointGroup) return 'has scope "endpointGroup" but no endpointGroup';
  return undefined;
}

function assertNonEmpty(name: string, value: string): void {
  if (typeof value === 'string' && value !== '') return;
  throw new LumioError('RATE_LIMIT_REQUEST_INVALID', `The rate limiter needs a non-empty ${name}, but got ${JSON.stringify(value)}; pass the ${name} of the request.`, {
    status: 500,
    fault: 'platform',
    details: { field: name },
  });
}
