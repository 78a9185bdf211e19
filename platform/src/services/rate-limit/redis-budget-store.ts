import { randomBytes } from 'node:crypto';
import { LumioError } from '../../errors/index.js';
import type { BudgetStore, BudgetStoreSettings, StoreBudget, TryAcquireRequest, TryAcquireResult } from './budget-store.js';
import { ACQUIRE_SCRIPT, ACQUIRE_UNLESS_STORED_SCRIPT, COMPLETE_SCRIPT, LOWER_REMAINING_SCRIPT, PAUSE_SCRIPT, READ_SCRIPT, type LuaScript } from './redis-scripts.js';
import { runScript, type ScriptClient } from './run-script.js';

export interface RedisBudgetStoreOptions extends BudgetStoreSettings {
  client: ScriptClient;
  /** Prepended to every key, e.g. "lumio:rate-limit:". */
  keyPrefix: string;
}

// NOTE: one request's budget keys can differ in connection id and account key, so they
// do not share a Redis Cluster hash slot. The store needs a single Redis server or a
// primary with replicas, not a cluster.
/**
 * Creates a budget store in Redis: every process with the same server and key prefix
 * shares the budgets. Each method is one Lua script, so it is atomic across processes.
 */
export function createRedisBudgetStore(options: RedisBudgetStoreOptions): BudgetStore {
  const { client, keyPrefix } = options;
  // Names the grants and placeholders of this store, so members never collide across processes.
  const storeId = randomBytes(6).toString('hex');
  let sequence = 0;

  const dataKey = (budget: StoreBudget) => `${keyPrefix}${budget.key}:${budget.algorithm === 'slidingWindow' ? 'window' : 'bucket'}`;
  const stateKey = (budget: StoreBudget) => `${keyPrefix}${budget.key}:state`;
  // The limiter passes the same budgets array for every request of a kind, so their keys are built once.
  const builtKeys = new WeakMap<readonly StoreBudget[], string[]>();
  const keysOf = (budgets: readonly StoreBudget[]): string[] => {
    let keys = builtKeys.get(budgets);
    if (keys === undefined) {
      keys = budgets.flatMap((budget) => [dataKey(budget), stateKey(budget)]);
      builtKeys.set(budgets, keys);
    }
    return keys;
  };

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

  function acquireArguments(request: TryAcquireRequest, grantId: string): (string | number)[] {
    const args: (string | number)[] = [request.priority, grantId, options.windowMarginMs, options.maxBackoffMs];
    for (const budget of request.budgets) args.push(budget.algorithm, budget.limit, budget.intervalMs, budget.bulkLimit);
    return args;
  }

  function nextGrantId(): string {
    sequence += 1;
    return `${storeId}:${sequence}`;
  }

  return {
    async tryAcquire(request) {
      const grantId = nextGrantId();
      const reply = await run(ACQUIRE_SCRIPT, keysOf(request.budgets), acquireArguments(request, grantId));
      return readAcquireReply(reply, request.budgets.length, grantId);
    },

    async tryAcquireUnlessStored(request, key) {
      const grantId = nextGrantId();
      const script = ACQUIRE_UNLESS_STORED_SCRIPT;
      const reply = await send(script, [...keysOf(request.budgets), key], acquireArguments(request, grantId));
      // {2, value} when the key contains a value, else the acquire reply.
      if (Array.isArray(reply) && reply[0] === 2 && typeof reply[1] === 'string') return { stored: reply[1], granted: false };
      return { stored: null, ...readAcquireReply(toNumbers(reply, script.name), request.budgets.length, grantId) };
    },

    async complete(grantId, budgets) {
      const windows = budgets.filter((budget) => budget.algorithm === 'slidingWindow');
      if (windows.length === 0 || grantId === '') return;
      await run(COMPLETE_SCRIPT, windows.map(dataKey), [grantId, ...windows.map((budget) => budget.intervalMs + options.windowMarginMs)]);
    },

    async lowerRemaining(adjustments) {
      if (adjustments.length === 0) return [];
      sequence += 1;
      const args: (string | number)[] = [options.windowMarginMs, `quota:${storeId}:${sequence}`];
      for (const { budget, remaining, resetInMs, holdMs } of adjustments) {
        const reset = resetInMs === null ? -1 : Math.ceil(resetInMs);
        args.push(budget.algorithm, budget.limit, budget.intervalMs, Math.floor(remaining), reset, holdMs === null ? -1 : Math.ceil(holdMs));
      }
      return run(LOWER_REMAINING_SCRIPT, keysOf(adjustments.map((adjustment) => adjustment.budget)), args);
    },

    async pause(request) {
      if (request.budgets.length === 0) return [];
      const retryAfter = request.retryAfterMs === null ? -1 : Math.ceil(request.retryAfterMs);
      const args = [retryAfter, options.initialBackoffMs, options.maxBackoffMs, options.maxPauseMs];
      return run(PAUSE_SCRIPT, request.budgets.map(stateKey), args);
    },

    async read(budgets) {
      if (budgets.length === 0) return [];
      const args: (string | number)[] = [options.windowMarginMs];
      for (const budget of budgets) args.push(budget.algorithm, budget.limit, budget.intervalMs);

      const reply = await run(READ_SCRIPT, keysOf(budgets), args);
      return budgets.map((_, index) => ({
        used: reply[3 * index] ?? 0,
        remaining: reply[3 * index + 1] ?? 0,
        pausedForMs: reply[3 * index + 2] ?? 0,
      }));
    },

    // The client belongs to the caller, who closes it.
    async close() {},
  };
}

function readAcquireReply(reply: number[], count: number, grantId: string): TryAcquireResult {
  const granted = reply[0] === 1;
  return {
    granted,
    grantId: granted ? grantId : '',
    waitMs: reply[1] ?? 0,
    remaining: reply.slice(2, 2 + count),
    waits: reply.slice(2 + count, 2 + 2 * count),
  };
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
