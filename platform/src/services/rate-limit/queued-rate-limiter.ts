import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { resolveBudgets, type ResolvedBudget } from './budget-keys.js';
import type { BudgetStore, StoreBudget, TryAcquireResult } from './budget-store.js';
import { pickQuotaTargets } from './quota-targets.js';
import { findHeader, parseQuotaHeaders } from './quota-headers.js';
import type { RateLimitMetricLabels, RateLimitMetrics } from './rate-limit-metrics.js';
import type {
  AcquireOptions,
  AcquireResult,
  BudgetKeySnapshot,
  Clock,
  ObserveOptions,
  ObserveResult,
  RateLimiter,
  SnapshotOptions,
} from './rate-limit-types.js';
import { parseWaitHeader } from '../retry/wait-header.js';

export interface QueuedRateLimiterOptions {
  store: BudgetStore;
  logger: Logger;
  metrics: RateLimitMetrics;
  clock: Clock;
  /** Share of each budget kept for interactive requests while they are active, 0 to 1. */
  interactiveShare: number;
  /** A grant that waited longer than this many milliseconds is logged at info. */
  longWaitLogMs: number;
}

interface Waiter {
  options: AcquireOptions;
  resolved: ResolvedBudget[];
  budgets: StoreBudget[];
  keys: string[];
  startedAt: number;
  /** The waiter may try again from this time (clock milliseconds). */
  wakeAt: number;
  attempting: boolean;
  /** Keys whose wait was the longest in the last denied attempt; [] before the first denial. */
  bindingKeys: string[];
  /** Per budget name, the milliseconds this budget was the binding one, for the long-wait log. */
  blockedMs: Map<string, number>;
  settled: boolean;
  resolve(result: AcquireResult): void;
  reject(error: unknown): void;
  detachSignal(): void;
}

/** Connections whose last request context `snapshot(connectionId)` keeps, at most. */
const MAX_REMEMBERED_CONNECTIONS = 10_000;

/**
 * Creates a limiter over a budget store. Waiting requests of this process are kept in
 * priority order (interactive first, then arrival), and a waiter tries the store only
 * when no earlier waiter contends for one of its keys. An earlier waiter contends for
 * the keys that held it back last time (all its keys before its first try), so a request
 * stuck on a busy endpoint-group budget does not hold back others on the shared budget.
 */
export function createQueuedRateLimiter(settings: QueuedRateLimiterOptions): RateLimiter {
  const { store, logger, metrics, clock } = settings;
  const interactiveWaiters: Waiter[] = [];
  const bulkWaiters: Waiter[] = [];
  const contexts = new Map<string, SnapshotOptions>();
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;
  let closed = false;

  function toStoreBudget({ budget, key }: ResolvedBudget): StoreBudget {
    // Bulk keeps out of the top `interactiveShare` of the budget while interactive traffic is active.
    const bulkLimit = Math.floor(budget.limit * (1 - settings.interactiveShare) + 1e-9);
    return { key, algorithm: budget.algorithm, limit: budget.limit, intervalMs: budget.intervalMs, bulkLimit };
  }

  function remember(connectionId: string, context: SnapshotOptions): void {
    contexts.delete(connectionId);
    contexts.set(connectionId, { connector: context.connector, accountKey: context.accountKey, budgets: context.budgets });
    if (contexts.size > MAX_REMEMBERED_CONNECTIONS) {
      const oldest = contexts.keys().next();
      if (!oldest.done) contexts.delete(oldest.value);
    }
  }

  function labelsOf(options: { connector: string; connectionId: string }, budget: ResolvedBudget): RateLimitMetricLabels {
    return { connector: options.connector, budget: budget.budget.name, connectionId: options.connectionId };
  }

  function assertOpen(): void {
    if (!closed) return;
    throw new LumioError('RATE_LIMITER_CLOSED', 'The rate limiter was closed; create a new one before sending requests.', { status: 503, fault: 'platform' });
  }

  // ---------------------------------------------------------------- waiting queue

  function removeWaiter(waiter: Waiter): void {
    const queue = waiter.options.priority === 'interactive' ? interactiveWaiters : bulkWaiters;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
  }

  function settle(waiter: Waiter): boolean {
    if (waiter.settled) return false;
    waiter.settled = true;
    waiter.detachSignal();
    removeWaiter(waiter);
    return true;
  }

  function contendedKeys(waiter: Waiter): string[] {
    return waiter.bindingKeys.length === 0 ? waiter.keys : waiter.bindingKeys;
  }

  // Starts the tries that are due and allowed, then sets one timer for the next due waiter.
  function pump(): void {
    if (closed) return;
    const now = clock.now();
    const claimed = new Set<string>();
    let nextWake = Number.POSITIVE_INFINITY;

    for (const waiter of [...interactiveWaiters, ...bulkWaiters]) {
      if (waiter.keys.some((key) => claimed.has(key))) continue;
      for (const key of contendedKeys(waiter)) claimed.add(key);
      if (waiter.attempting) continue;

      if (waiter.wakeAt <= now) startAttempt(waiter);
      else nextWake = Math.min(nextWake, waiter.wakeAt);
    }
    scheduleWake(nextWake, now);
  }

  function scheduleWake(at: number, now: number): void {
    if (at === timerAt) return;
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
    timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;

    timer = clock.setTimer(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      pump();
    }, Math.max(0, at - now));
  }

  function startAttempt(waiter: Waiter): void {
    waiter.attempting = true;
    store.tryAcquire({ budgets: waiter.budgets, priority: waiter.options.priority }).then(
      (result) => {
        waiter.attempting = false;
        handleAttempt(waiter, result);
        pump();
      },
      (error: unknown) => {
        waiter.attempting = false;
        if (settle(waiter)) waiter.reject(error);
        pump();
      },
    );
  }

  function handleAttempt(waiter: Waiter, result: TryAcquireResult): void {
    // NOTE: a waiter aborted during a try may still have been granted. That unit of
    // budget is then spent without a request, which errs on the safe side.
    if (waiter.settled) return;
    const now = clock.now();

    if (result.granted) {
      settle(waiter);
      finishGrant(waiter, result, now);
      return;
    }

    waiter.wakeAt = now + result.waitMs;
    waiter.bindingKeys = waiter.keys.filter((_, index) => result.waits[index] === result.waitMs);
    for (const [index, budget] of waiter.resolved.entries()) {
      if (result.waits[index] !== result.waitMs) continue;
      waiter.blockedMs.set(budget.budget.name, (waiter.blockedMs.get(budget.budget.name) ?? 0) + result.waitMs);
    }

    const { maxWaitMs } = waiter.options;
    if (maxWaitMs !== undefined && now - waiter.startedAt + result.waitMs > maxWaitMs) {
      settle(waiter);
      waiter.reject(tooLongError(waiter, result.waitMs, maxWaitMs));
    }
  }

  function finishGrant(waiter: Waiter, result: TryAcquireResult, now: number): void {
    const { options } = waiter;
    const waitedMs = Math.max(0, Math.round(now - waiter.startedAt));
    for (const [index, budget] of waiter.resolved.entries()) {
      metrics.waited({ ...labelsOf(options, budget), priority: options.priority }, waitedMs);
      metrics.remaining(labelsOf(options, budget), result.remaining[index] ?? 0);
    }

    if (waitedMs > settings.longWaitLogMs) {
      logger.info(
        {
          connector: options.connector,
          connectionId: options.connectionId,
          budget: longestBlocker(waiter),
          waitedMs,
          priority: options.priority,
        },
        'Request waited for a rate-limit budget',
      );
    }
    waiter.resolve({ waitedMs, grantId: result.grantId });
  }

  function longestBlocker(waiter: Waiter): string {
    let name = waiter.resolved[0]?.budget.name ?? '';
    let longest = -1;
    for (const [budget, ms] of waiter.blockedMs) {
      if (ms > longest) [name, longest] = [budget, ms];
    }
    return name;
  }

  function tooLongError(waiter: Waiter, waitMs: number, maxWaitMs: number): LumioError {
    const { connector, connectionId } = waiter.options;
    const budget = longestBlocker(waiter);
    return new LumioError(
      'RATE_LIMITED',
      `The "${budget}" rate limit of ${connector} needs a wait of ${waitMs} ms, more than the ${maxWaitMs} ms allowed; retry later.`,
      { status: 429, fault: 'provider', details: { connector, connectionId, budget, retryAfterMs: waitMs } },
    );
  }

  function abortError(options: AcquireOptions): LumioError {
    return new LumioError('REQUEST_ABORTED', `The request to ${options.connector} was cancelled by the caller while it waited for a rate-limit budget.`, {
      status: 400,
      fault: 'caller',
      cause: options.signal?.reason,
      details: { connector: options.connector, connectionId: options.connectionId },
    });
  }

  // ---------------------------------------------------------------- public methods

  async function acquire(options: AcquireOptions): Promise<AcquireResult> {
    assertOpen();
    if (options.priority !== 'interactive' && options.priority !== 'bulk') {
      throw new LumioError('RATE_LIMIT_REQUEST_INVALID', `The request priority ${JSON.stringify(options.priority)} is invalid; pass "interactive" or "bulk".`, {
        status: 500,
        fault: 'platform',
      });
    }
    const resolved = resolveBudgets(options);
    remember(options.connectionId, options);
    if (options.signal?.aborted) throw abortError(options);
    if (resolved.length === 0) return { waitedMs: 0, grantId: '' };

    return new Promise<AcquireResult>((resolve, reject) => {
      const budgets = resolved.map(toStoreBudget);
      const signal = options.signal;
      const waiter: Waiter = {
        options,
        resolved,
        budgets,
        keys: budgets.map((budget) => budget.key),
        startedAt: clock.now(),
        wakeAt: Number.NEGATIVE_INFINITY,
        attempting: false,
        bindingKeys: [],
        blockedMs: new Map(),
        settled: false,
        resolve,
        reject,
        detachSignal: () => signal?.removeEventListener('abort', onAbort),
      };
      function onAbort(): void {
        if (!settle(waiter)) return;
        waiter.reject(abortError(options));
        pump();
      }
      signal?.addEventListener('abort', onAbort, { once: true });

      (options.priority === 'interactive' ? interactiveWaiters : bulkWaiters).push(waiter);
      pump();
    });
  }

  async function observe(options: ObserveOptions): Promise<ObserveResult> {
    assertOpen();
    const resolved = resolveBudgets(options);
    remember(options.connectionId, options);
    const { headers, status } = options.response;
    const now = clock.now();

    const quota = parseQuotaHeaders(options.quotaHeaders, headers, now);
    const rateLimited = options.rateLimited ?? status === 429;
    if (resolved.length === 0) return { pausedForMs: null, quota };

    if (options.grantId) await store.complete(options.grantId, resolved.map(toStoreBudget));

    let pausedForMs: number | null = null;
    if (rateLimited) {
      // The same parser as the retry policy, so both wait the same time for one header.
      const waitHeader = options.waitHeader ?? 'Retry-After';
      const waitValue = findHeader(headers, waitHeader);
      const retryAfterMs = (waitValue === undefined ? undefined : parseWaitHeader(waitHeader, { [waitHeader.toLowerCase()]: waitValue }, now)) ?? null;
      const pauses = await store.pause({ budgets: resolved.map(toStoreBudget), retryAfterMs });
      pausedForMs = Math.max(0, ...pauses);
      for (const budget of resolved) metrics.hit(labelsOf(options, budget));
      logger.warn(
        {
          connector: options.connector,
          connectionId: options.connectionId,
          budgets: resolved.map((budget) => budget.budget.name),
          status,
          retryAfterMs,
          pausedForMs,
        },
        'Provider rate limit hit; pausing the budgets',
      );
    }

    if (quota?.remaining !== undefined) {
      const targets = pickQuotaTargets(resolved, quota);
      const adjustments = targets.map((target) => ({
        budget: toStoreBudget(target),
        remaining: quota.remaining ?? 0,
        resetInMs: quota.resetInMs ?? null,
        holdMs: quota.intervalMs ?? null,
      }));
      const values = await store.lowerRemaining(adjustments);
      for (const [index, target] of targets.entries()) metrics.remaining(labelsOf(options, target), values[index] ?? 0);
    }

    return { pausedForMs, quota };
  }

  async function snapshot(connectionId: string, options?: SnapshotOptions): Promise<BudgetKeySnapshot[]> {
    assertOpen();
    const context = options ?? contexts.get(connectionId);
    if (!context) return [];

    const resolved = resolveBudgets({ ...context, connectionId, allGroups: true });
    const readings = await store.read(resolved.map(toStoreBudget));
    const now = clock.now();
    return resolved.map(({ budget, key }, index) => {
      const reading = readings[index] ?? { used: 0, remaining: budget.limit, pausedForMs: 0 };
      return {
        key,
        budget: budget.name,
        scope: budget.scope,
        algorithm: budget.algorithm,
        limit: budget.limit,
        intervalMs: budget.intervalMs,
        used: reading.used,
        remaining: reading.remaining,
        pausedUntil: reading.pausedForMs > 0 ? Math.round(now + reading.pausedForMs) : null,
      };
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;

    const error = new LumioError('RATE_LIMITER_CLOSED', 'The rate limiter was closed while the request waited for a rate-limit budget.', {
      status: 503,
      fault: 'platform',
    });
    for (const waiter of [...interactiveWaiters, ...bulkWaiters]) {
      if (settle(waiter)) waiter.reject(error);
    }
    await store.close();
  }

  return { acquire, observe, snapshot, close };
}
