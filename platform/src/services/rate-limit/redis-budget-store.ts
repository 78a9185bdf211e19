import { randomBytes } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import { createWarningLimiter, type Logger } from '../../observability/index.js';
import type { BudgetStore, BudgetStoreSettings, StoreBudget, TryAcquireRequest, TryAcquireResult } from './budget-store.js';
import { ACQUIRE_SCRIPT, ACQUIRE_UNLESS_STORED_SCRIPT } from './redis-acquire-scripts.js';
import { createLeaseBook, planLease, type Lease, type LeasePlan, type LeaseSettings } from './redis-leases.js';
import { LOWER_REMAINING_SCRIPT, PAUSE_SCRIPT, READ_SCRIPT, WRITES_SCRIPT, type LuaScript } from './redis-scripts.js';
import { createWriteQueue, type WriteBatch } from './redis-write-queue.js';
import { runScript, type ScriptClient } from './run-script.js';

/** The ioredis commands the store uses; an ioredis `Redis` client satisfies it. */
export interface BudgetStoreClient extends ScriptClient {
  get(key: string): Promise<string | null>;
}

export interface RedisBudgetStoreOptions extends BudgetStoreSettings, LeaseSettings {
  client: BudgetStoreClient;
  /** Prepended to every key, e.g. "lumio:rate-limit:". */
  keyPrefix: string;
  /** Receives a warning when returning a lease's unused units to Redis failed. */
  logger?: Logger;
}

/** Keys, script arguments and lease plan of one budgets array, built once because the limiter passes the same array for every request of a kind. */
interface BudgetsPlan {
  /** Data key and state key per budget. */
  keys: string[];
  /** Algorithm, limit, interval and bulk limit per budget, as the acquire scripts read them. */
  args: (string | number)[];
  lease: LeasePlan;
}

/** Min time between two logged warnings about lease units that could not be returned, in milliseconds. */
const WARNING_INTERVAL_MS = 30_000;

// NOTE: one request's budget keys can differ in connection id and account key, so they
// do not share a Redis Cluster hash slot. The store needs a single Redis server or a
// primary with replicas, not a cluster.
/**
 * Creates a budget store in Redis: every process with the same server and key prefix
 * shares the budgets. Each method is one Lua script, so it is atomic across processes.
 *
 * Two things keep the commands per request low. Writes that need no reply (a grant's
 * window entry moved to its response time, a lease's unused units returned) are queued
 * and travel inside the next script (see redis-write-queue.ts). And while a budget is at
 * most half used, an acquire takes a lease of several units, which this process hands to
 * its next requests without a round trip (see redis-acquire-scripts.ts and
 * redis-leases.ts for why that keeps every budget).
 */
export function createRedisBudgetStore(options: RedisBudgetStoreOptions): BudgetStore {
  const { client, keyPrefix } = options;
  // Names the grants and placeholders of this store, so members never collide across processes.
  const storeId = randomBytes(6).toString('hex');
  let sequence = 0;
  const warnRelease = options.logger ? createWarningLimiter({ logger: options.logger, intervalMs: WARNING_INTERVAL_MS }) : undefined;

  const dataKey = (budget: StoreBudget) => `${keyPrefix}${budget.key}:${budget.algorithm === 'slidingWindow' ? 'window' : 'bucket'}`;
  const stateKey = (budget: StoreBudget) => `${keyPrefix}${budget.key}:state`;
  const plans = new WeakMap<readonly StoreBudget[], BudgetsPlan>();
  const planOf = (budgets: readonly StoreBudget[]): BudgetsPlan => {
    let plan = plans.get(budgets);
    if (plan === undefined) {
      plan = {
        keys: budgets.flatMap((budget) => [dataKey(budget), stateKey(budget)]),
        args: budgets.flatMap((budget) => [budget.algorithm, budget.limit, budget.intervalMs, budget.bulkLimit]),
        lease: planLease(budgets, options),
      };
      plans.set(budgets, plan);
    }
    return plan;
  };

  const writes = createWriteQueue(sendWrites);
  const leases = createLeaseBook(returnUnused);

  // Unused units of an ended lease were never handed to a request, so giving them back
  // cannot let more requests through than the budget allows.
  function returnUnused(lease: Lease, unused: number): void {
    for (const budget of lease.budgets) {
      const returned =
        budget.algorithm === 'slidingWindow'
          ? writes.push(dataKey(budget), 'release', lease.id, lease.size - unused + 1, lease.size)
          : writes.push(dataKey(budget), 'refund', unused, budget.limit, budget.intervalMs);
      returned.catch((error: unknown) => {
        warnRelease?.({ err: error, key: budget.key, unused }, 'rate limiter could not return unused lease units to Redis; they count until their entries expire');
      });
    }
  }

  async function send(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await runScript(client, script, keys, args);
    } catch (error) {
      throw new LumioError('RATE_LIMIT_STORE_FAILED', `The rate limiter's Redis script "${script.name}" failed (${describeError(error)}); check that Redis is reachable.`, {
        status: 503,
        fault: 'platform',
        cause: error,
        details: { script: script.name },
      });
    }
  }

  async function run(script: LuaScript, keys: string[], args: (string | number)[]): Promise<number[]> {
    return toNumbers(await send(script, keys, args), script.name);
  }

  function sendWrites(batch: WriteBatch): void {
    run(WRITES_SCRIPT, batch.keys, batch.args).then(
      () => batch.settle(),
      (error: unknown) => batch.settle(error),
    );
  }

  // Sends the queued writes ahead of a script that does not carry them. One connection
  // keeps the order, so they take effect before that script runs, as they would unqueued.
  function sendQueuedWrites(): void {
    const batch = writes.take();
    if (batch !== undefined) sendWrites(batch);
  }

  function nextGrantId(): string {
    sequence += 1;
    return `${storeId}:${sequence}`;
  }

  /** Runs an acquire script with the queued writes, and opens a lease when Redis granted one. */
  async function acquire(request: TryAcquireRequest, storedKey: string | null): Promise<{ stored: string } | TryAcquireResult> {
    const plan = planOf(request.budgets);
    const grantId = nextGrantId();
    const batch = writes.take();
    const keys = joinKeys(plan.keys, storedKey, batch);
    const args: (string | number)[] = [request.priority, grantId, options.windowMarginMs, options.maxBackoffMs, plan.lease.size, plan.lease.ms, batch?.keys.length ?? 0];
    if (batch !== undefined) args.push(...batch.args);
    args.push(...plan.args);

    const script = storedKey === null ? ACQUIRE_SCRIPT : ACQUIRE_UNLESS_STORED_SCRIPT;
    const startedAt = performance.now();
    let reply: unknown;
    try {
      reply = await send(script, keys, args);
    } catch (error) {
      batch?.settle(error);
      throw error;
    }
    batch?.settle();

    // {2, value} when the stored key contains a value, else the acquire reply.
    if (Array.isArray(reply) && reply[0] === 2 && typeof reply[1] === 'string') return { stored: reply[1] };
    const numbers = toNumbers(reply, script.name);
    const count = request.budgets.length;
    const taken = numbers[2] ?? 0;
    const remaining = numbers.slice(3, 3 + count);
    if (taken > 1) {
      return leases.open({ id: grantId, budgets: request.budgets, priority: request.priority, size: taken, remaining }, startedAt, plan.lease.ms);
    }

    const granted = numbers[0] === 1;
    return { granted, grantId: granted ? grantId : '', waitMs: numbers[1] ?? 0, remaining, waits: numbers.slice(3 + count, 3 + 2 * count) };
  }

  return {
    async tryAcquire(request) {
      const leased = leases.take(request.budgets, request.priority);
      if (leased !== undefined) return leased;
      return (await acquire(request, null)) as TryAcquireResult;
    },

    async tryAcquireUnlessStored(request, key) {
      // With a live lease the grant needs no script, so a plain GET is the one round trip.
      if (leases.has(request.budgets, request.priority)) {
        const stored = await readStored(key);
        if (stored !== null) return { stored, granted: false };
        const leased = leases.take(request.budgets, request.priority);
        if (leased !== undefined) return { stored: null, ...leased };
      }

      const result = await acquire(request, key);
      if ('stored' in result) return { stored: result.stored, granted: false };
      return { stored: null, ...result };
    },

    complete(grantId, budgets) {
      // A live lease's entries lie at its end, after this response, so they need no move.
      if (grantId === '' || leases.isLive(grantId)) return Promise.resolve();

      let queued: Promise<void> | undefined;
      for (const budget of budgets) {
        if (budget.algorithm !== 'slidingWindow') continue;
        queued = writes.push(dataKey(budget), 'complete', grantId, budget.intervalMs + options.windowMarginMs, '');
      }
      return queued ?? Promise.resolve();
    },

    async lowerRemaining(adjustments) {
      if (adjustments.length === 0) return [];
      // A lease is taken only while the budget is at most half used and no cap is pending,
      // so a provider count past that point, or a cap, ends the leases on the budget.
      const lowered = adjustments.filter(({ budget, remaining, resetInMs }) => resetInMs !== null || remaining < budget.limit / 2);
      if (lowered.length > 0) leases.endFor(new Set(lowered.map(({ budget }) => budget.key)));

      sequence += 1;
      const args: (string | number)[] = [options.windowMarginMs, `quota:${storeId}:${sequence}`];
      for (const { budget, remaining, resetInMs, holdMs } of adjustments) {
        const reset = resetInMs === null ? -1 : Math.ceil(resetInMs);
        args.push(budget.algorithm, budget.limit, budget.intervalMs, Math.floor(remaining), reset, holdMs === null ? -1 : Math.ceil(holdMs));
      }
      sendQueuedWrites();
      return run(LOWER_REMAINING_SCRIPT, planOf(adjustments.map((adjustment) => adjustment.budget)).keys, args);
    },

    async pause(request) {
      if (request.budgets.length === 0) return [];
      // NOTE: leases of other processes on these budgets keep granting until they end,
      // at most `leaseMs` later; only this process's leases end at once.
      leases.endFor(new Set(request.budgets.map((budget) => budget.key)));

      const retryAfter = request.retryAfterMs === null ? -1 : Math.ceil(request.retryAfterMs);
      const args = [retryAfter, options.initialBackoffMs, options.maxBackoffMs, options.maxPauseMs];
      sendQueuedWrites();
      return run(PAUSE_SCRIPT, request.budgets.map(stateKey), args);
    },

    async read(budgets) {
      if (budgets.length === 0) return [];
      const args: (string | number)[] = [options.windowMarginMs];
      for (const budget of budgets) args.push(budget.algorithm, budget.limit, budget.intervalMs);

      sendQueuedWrites();
      const reply = await run(READ_SCRIPT, planOf(budgets).keys, args);
      return budgets.map((_, index) => ({
        used: reply[3 * index] ?? 0,
        remaining: reply[3 * index + 1] ?? 0,
        pausedForMs: reply[3 * index + 2] ?? 0,
      }));
    },

    // Returns the unused lease units and waits for the queued writes. The client belongs to the caller, who closes it.
    async close() {
      leases.endAll();
      const batch = writes.take();
      if (batch === undefined) return;
      try {
        await run(WRITES_SCRIPT, batch.keys, batch.args);
        batch.settle();
      } catch (error) {
        batch.settle(error);
      }
    },
  };

  async function readStored(key: string): Promise<string | null> {
    try {
      return await client.get(key);
    } catch (error) {
      throw new LumioError('RATE_LIMIT_STORE_FAILED', `The rate limiter could not read the key "${key}" from Redis (${describeError(error)}); check that Redis is reachable.`, {
        status: 503,
        fault: 'platform',
        cause: error,
      });
    }
  }
}

function joinKeys(budgetKeys: string[], storedKey: string | null, batch: WriteBatch | undefined): string[] {
  if (storedKey === null && batch === undefined) return budgetKeys;

  const keys = storedKey === null ? [...budgetKeys] : [...budgetKeys, storedKey];
  if (batch !== undefined) keys.push(...batch.keys);
  return keys;
}

function toNumbers(reply: unknown, scriptName: string): number[] {
  if (Array.isArray(reply) && reply.every((value) => typeof value === 'number')) return reply as number[];
  throw new LumioError('RATE_LIMIT_STORE_FAILED', `The rate limiter's Redis script "${scriptName}" returned ${JSON.stringify(reply)} instead of a list of integers.`, {
    status: 503,
    fault: 'platform',
    details: { script: scriptName },
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
