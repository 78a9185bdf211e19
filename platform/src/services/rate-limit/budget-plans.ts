import type { RateLimitBudget } from '@lumio/plugin-sdk';
import { resolveBudgets, type ResolvedBudget, type ResolveBudgetsOptions } from './budget-keys.js';
import type { StoreBudget } from './budget-store.js';
import type { RateLimitMetricLabels } from './rate-limit-metrics.js';
import type { RequestPriority, SnapshotOptions } from './rate-limit-types.js';

/** The budgets that apply to one kind of request of a connection, with what the limiter derives from them. */
export interface BudgetPlan {
  resolved: ResolvedBudget[];
  budgets: StoreBudget[];
  keys: string[];
  /** Per budget, the labels of the `remaining` and `hit` metrics. */
  labels: RateLimitMetricLabels[];
  /** Per priority and budget, the labels of the `waited` metric. */
  waitLabels: Record<RequestPriority, RateLimitMetricLabels[]>;
  /** True when one of the budgets is a sliding window, whose entries `complete` moves. */
  hasWindow: boolean;
}

interface ConnectionPlans extends SnapshotOptions {
  /** Plans by endpoint group; "" is the plan of requests without one. */
  byGroup: Map<string, BudgetPlan>;
}

export interface BudgetPlans {
  /**
   * Returns the plan of a request, resolved on the connection's first request and again
   * whenever its connector, account key or budgets array changes. Raises what
   * `resolveBudgets` raises.
   */
  planFor(options: ResolveBudgetsOptions): BudgetPlan;
  /** Returns the connector, account key and budgets of the connection's last request, if it is still remembered. */
  lastContext(connectionId: string): SnapshotOptions | undefined;
}

/**
 * Creates the per-connection cache of budget plans, so that resolving keys, validating
 * budgets and building metric labels happen once per connection instead of on every
 * acquire and observe. It keeps the `maxConnections` most recently used connections.
 *
 * NOTE: a plan is reused while the caller passes the same budgets array. A budgets array
 * changed in place after its first use is not seen; pass a new array to change budgets.
 */
export function createBudgetPlans(maxConnections: number, toStoreBudget: (resolved: ResolvedBudget) => StoreBudget): BudgetPlans {
  const connections = new Map<string, ConnectionPlans>();
  let newestConnectionId: string | undefined;

  function planFor(options: ResolveBudgetsOptions): BudgetPlan {
    const known = connections.get(options.connectionId);
    const connection = known !== undefined && sameContext(known, options) ? known : undefined;
    const group = options.endpointGroup ?? '';

    let plan = connection?.byGroup.get(group);
    if (plan === undefined) {
      // Resolving first means an invalid request is never remembered.
      plan = buildPlan(resolveBudgets(options), options);
      const target = connection ?? { connector: options.connector, accountKey: options.accountKey, budgets: options.budgets, byGroup: new Map() };
      target.byGroup.set(group, plan);
      if (target !== known) remember(options.connectionId, target);
    }

    touch(options.connectionId);
    return plan;
  }

  function buildPlan(resolved: ResolvedBudget[], options: ResolveBudgetsOptions): BudgetPlan {
    const budgets = resolved.map(toStoreBudget);
    const labels = resolved.map(({ budget }) => Object.freeze({ connector: options.connector, budget: budget.name, connectionId: options.connectionId }));
    const labelsWith = (priority: RequestPriority) => labels.map((label) => Object.freeze({ ...label, priority }));
    return {
      resolved,
      budgets,
      keys: budgets.map((budget) => budget.key),
      labels,
      waitLabels: { interactive: labelsWith('interactive'), bulk: labelsWith('bulk') },
      hasWindow: budgets.some((budget) => budget.algorithm === 'slidingWindow'),
    };
  }

  function remember(connectionId: string, connection: ConnectionPlans): void {
    connections.delete(connectionId);
    connections.set(connectionId, connection);
    newestConnectionId = connectionId;
    if (connections.size > maxConnections) {
      const oldest = connections.keys().next();
      if (!oldest.done) connections.delete(oldest.value);
    }
  }

  // Moves the connection to the newest end of the map's order, so the least recently used one is evicted first.
  function touch(connectionId: string): void {
    if (connectionId === newestConnectionId) return;
    const connection = connections.get(connectionId);
    if (connection === undefined) return;
    connections.delete(connectionId);
    connections.set(connectionId, connection);
    newestConnectionId = connectionId;
  }

  function lastContext(connectionId: string): SnapshotOptions | undefined {
    const connection = connections.get(connectionId);
    if (connection === undefined) return undefined;
    return { connector: connection.connector, accountKey: connection.accountKey, budgets: connection.budgets };
  }

  return { planFor, lastContext };
}

function sameContext(known: SnapshotOptions, options: { connector: string; accountKey?: string; budgets: readonly RateLimitBudget[] }): boolean {
  return known.connector === options.connector && known.accountKey === options.accountKey && known.budgets === options.budgets;
}
