import { createWarningLimiter, type Logger } from '../../observability/index.js';
import { resolveBudgets, type ResolvedBudget } from './budget-keys.js';
import { createBudgetPlans, type BudgetPlan } from './budget-plans.js';
import { abortError, assertPriority, closedError, closedWhileWaitingError, tooLongError } from './limiter-errors.js';
import type { BudgetStore, StoreBudget, TryAcquireResult } from './budget-store.js';
import { pickQuotaTargets } from './quota-targets.js';
import { findHeader, parseQuotaHeaders } from './quota-headers.js';
import type { RateLimitMetrics } from './rate-limit-metrics.js';
import type {
  AcquireOptions,
  AcquireResult,
  BudgetKeySnapshot,
  Clock,
  ObserveOptions,
  ObserveResult,
  QuotaReading,
  RateLimiter,
  SnapshotOptions,
  StoredOrGrant,
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
  plan: BudgetPlan;
  keys: string[];
  /** Arrival order among this limiter's requests; the queues are sorted by it. */
  arrival: number;
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

/** Max connections whose budget plans and last request context (for `snapshot(connectionId)`) are kept. */
const MAX_REMEMBERED_CONNECTIONS = 10_000;

/** Minimum time between two logged warnings about failed store writes that `observe` did not await, in milliseconds. */
const WARNING_INTERVAL_MS = 30_000;

/**
 * Creates a limiter over a budget store. Waiting requests of this process are kept in
 * priority order (interactive first, then arrival), and a waiter tries the store only
 * when no earlier waiter contends for one of its keys. An earlier waiter contends for
 * the keys that held it back last time (all its keys before its first try), so a request
 * stuck on a busy endpoint-group budget does not hold back others on the shared budget.
 * While no request waits, a new one tries the store at once and queues only when denied.
 */
export function createQueuedRateLimiter(settings: QueuedRateLimiterOptions): RateLimiter {
  const { store, logger, metrics, clock } = settings;
  const interactiveWaiters: Waiter[] = [];
  const bulkWaiters: Waiter[] = [];
  const plans = createBudgetPlans(MAX_REMEMBERED_CONNECTIONS, toStoreBudget);
  const warnWrite = createWarningLimiter({ logger, intervalMs: WARNING_INTERVAL_MS });
  let arrivals = 0;
  let timer: unknown;
  let timerAt = Number.POSITIVE_INFINITY;
  let closed = false;

  function toStoreBudget({ budget, key }: ResolvedBudget): StoreBudget {
    // Bulk keeps out of the top `interactiveShare` of the budget while interactive traffic is active.
    const bulkLimit = Math.floor(budget.limit * (1 - settings.interactiveShare) + 1e-9);
    return { key, algorithm: budget.algorithm, limit: budget.limit, intervalMs: budget.intervalMs, bulkLimit };
  }

  function assertOpen(): void {
    if (closed) throw closedError();
  }

  // ---------------------------------------------------------------- waiting queue

  function queueOf(waiter: Waiter): Waiter[] {
    return waiter.options.priority === 'interactive' ? interactiveWaiters : bulkWaiters;
  }

  // Waiters arrive in order except after a denied first try, which started before later arrivals queued.
  function enqueue(waiter: Waiter): void {
    const queue = queueOf(waiter);
    let index = queue.length;
    while (index > 0 && queue[index - 1]!.arrival > waiter.arrival) index -= 1;
    queue.splice(index, 0, waiter);
  }

  function removeWaiter(waiter: Waiter): void {
    const queue = queueOf(waiter);
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
    store.tryAcquire({ budgets: waiter.plan.budgets, priority: waiter.options.priority }).then(
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
      waiter.resolve(finishGrant(waiter.options, waiter.plan, result, waiter.startedAt, now, waiter));
      return;
    }

    waiter.wakeAt = now + result.waitMs;
    waiter.bindingKeys = waiter.keys.filter((_, index) => result.waits[index] === result.waitMs);
    for (const [index, budget] of waiter.plan.resolved.entries()) {
      if (result.waits[index] !== result.waitMs) continue;
      waiter.blockedMs.set(budget.budget.name, (waiter.blockedMs.get(budget.budget.name) ?? 0) + result.waitMs);
    }

    const { maxWaitMs } = waiter.options;
    if (maxWaitMs !== undefined && now - waiter.startedAt + result.waitMs > maxWaitMs) {
      settle(waiter);
      waiter.reject(tooLongError(waiter.options, longestBlocker(waiter), result.waitMs, maxWaitMs));
    }
  }

  // Records a grant's metrics and logs a long wait. `waiter` is absent for a grant on the first try, which waited for no budget.
  function finishGrant(options: AcquireOptions, plan: BudgetPlan, result: TryAcquireResult, startedAt: number, now: number, waiter?: Waiter): AcquireResult {
    const waitedMs = Math.max(0, Math.round(now - startedAt));
    const waitLabels = plan.waitLabels[options.priority];
    for (let index = 0; index < plan.labels.length; index += 1) {
      metrics.waited(waitLabels[index]!, waitedMs);
      metrics.remaining(plan.labels[index]!, result.remaining[index] ?? 0);
    }

    if (waitedMs > settings.longWaitLogMs) {
      logger.info(
        {
          connector: options.connector,
          connectionId: options.connectionId,
          budget: waiter ? longestBlocker(waiter) : (plan.resolved[0]?.budget.name ?? ''),
          waitedMs,
          priority: options.priority,
        },
        'Request waited for a rate-limit budget',
      );
    }
    return { waitedMs, grantId: result.grantId };
  }

  function longestBlocker(waiter: Waiter): string {
    let name = waiter.plan.resolved[0]?.budget.name ?? '';
    let longest = -1;
    for (const [budget, ms] of waiter.blockedMs) {
      if (ms > longest) [name, longest] = [budget, ms];
    }
    return name;
  }

  /**
   * Creates a waiter and returns it with the promise it settles. The caller queues it,
   * or applies a denied first try to it first.
   */
  function createWaiter(options: AcquireOptions, plan: BudgetPlan, arrival: number, startedAt: number): { waiter: Waiter; granted: Promise<AcquireResult> } {
    let waiter: Waiter | undefined;
    const granted = new Promise<AcquireResult>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = (): void => {
        if (!settle(created)) return;
        created.reject(abortError(options));
        pump();
      };
      const created: Waiter = {
        options,
        plan,
        keys: plan.keys,
        arrival,
        startedAt,
        wakeAt: Number.NEGATIVE_INFINITY,
        attempting: false,
        bindingKeys: [],
        blockedMs: new Map(),
        settled: false,
        resolve,
        reject,
        detachSignal: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiter = created;
    });
    return { waiter: waiter!, granted };
  }

  function hasWaiters(): boolean {
    return interactiveWaiters.length > 0 || bulkWaiters.length > 0;
  }

  // Applies the outcome of a first try made outside the queue: a grant settles the
  // request, a denial queues it like a waiter whose try was denied.
  function settleFirstTry(options: AcquireOptions, plan: BudgetPlan, result: TryAcquireResult, arrival: number, startedAt: number): AcquireResult | Promise<AcquireResult> {
    // NOTE: a request aborted or a limiter closed during the try may still have been
    // granted. That unit of budget is then spent without a request, which errs on the safe side.
    if (closed) throw closedWhileWaitingError();
    if (options.signal?.aborted) throw abortError(options);
    if (result.granted) return finishGrant(options, plan, result, startedAt, clock.now());

    const { waiter, granted } = createWaiter(options, plan, arrival, startedAt);
    enqueue(waiter);
    handleAttempt(waiter, result);
    pump();
    return granted;
  }

  // ---------------------------------------------------------------- public methods

  async function acquire(options: AcquireOptions): Promise<AcquireResult> {
    assertOpen();
    assertPriority(options);
    const plan = plans.planFor(options);
    if (options.signal?.aborted) throw abortError(options);
    if (plan.resolved.length === 0) return { waitedMs: 0, grantId: '' };

    arrivals += 1;
    const arrival = arrivals;
    const startedAt = clock.now();
    if (hasWaiters()) {
      const { waiter, granted } = createWaiter(options, plan, arrival, startedAt);
      enqueue(waiter);
      pump();
      return granted;
    }

    // No request of this process waits, so none has an earlier claim on these keys, and
    // the first try goes to the store at once instead of through the queue.
    const result = await store.tryAcquire({ budgets: plan.budgets, priority: options.priority });
    return settleFirstTry(options, plan, result, arrival, startedAt);
  }

  async function acquireUnlessStored(options: AcquireOptions, key: string): Promise<StoredOrGrant | undefined> {
    assertOpen();
    assertPriority(options);
    const plan = plans.planFor(options);
    if (options.signal?.aborted) throw abortError(options);
    // Waiting requests of this process go first, so this request reads nothing here and queues later.
    if (store.tryAcquireUnlessStored === undefined || hasWaiters()) return undefined;

    const startedAt = clock.now();
    const result = await store.tryAcquireUnlessStored({ budgets: plan.budgets, priority: options.priority }, key);
    if (result.stored !== null) return { stored: result.stored };
    if (closed) throw closedWhileWaitingError();
    if (options.signal?.aborted) throw abortError(options);
    if (!result.granted) return { stored: null };
    return { stored: null, grant: finishGrant(options, plan, result, startedAt, clock.now()) };
  }

  async function observe(options: ObserveOptions): Promise<ObserveResult> {
    assertOpen();
    const plan = plans.planFor(options);
    const { headers, status } = options.response;
    const now = clock.now();

    const quota = parseQuotaHeaders(options.quotaHeaders, headers, now);
    const rateLimited = options.rateLimited ?? status === 429;
    if (plan.resolved.length === 0) return { pausedForMs: null, quota };

    // Moving the grant's entries and lowering the allowance need no reply, so they are not
    // awaited. A store applies one process's writes in the order they are issued, so they
    // take effect before the next acquire of this process. The memory store applies them at
    // once. Redis gets them over the one client connection, inside the next script or
    // within one turn of the event loop. A late move only keeps an entry at its
    // earlier grant time, which other processes still count.
    if (options.grantId && plan.hasWindow) {
      store.complete(options.grantId, plan.budgets).catch((error: unknown) => {
        warnWrite({ err: error, connector: options.connector, connectionId: options.connectionId }, 'rate limiter could not count a request from its response; its grant time counts instead');
      });
    }
    if (quota?.remaining !== undefined) lowerToQuota(options, plan, quota);

    let pausedForMs: number | null = null;
    if (rateLimited) {
      // The same parser as the retry policy, so both wait the same time for one header.
      const waitHeader = options.waitHeader ?? 'Retry-After';
      const waitValue = findHeader(headers, waitHeader);
      const retryAfterMs = (waitValue === undefined ? undefined : parseWaitHeader(waitHeader, { [waitHeader.toLowerCase()]: waitValue }, now)) ?? null;
      const pauses = await store.pause({ budgets: plan.budgets, retryAfterMs });
      pausedForMs = Math.max(0, ...pauses);
      for (const labels of plan.labels) metrics.hit(labels);
      logger.warn(
        {
          connector: options.connector,
          connectionId: options.connectionId,
          budgets: plan.resolved.map((budget) => budget.budget.name),
          status,
          retryAfterMs,
          pausedForMs,
        },
        'Provider rate limit hit; pausing the budgets',
      );
    }

    return { pausedForMs, quota };
  }

  // Lowers the budgets that a quota reading describes. The remaining gauge is set when the store replies.
  function lowerToQuota(options: ObserveOptions, plan: BudgetPlan, quota: QuotaReading): void {
    const targets = pickQuotaTargets(plan.resolved, quota);
    const adjustments = targets.map((target) => ({
      budget: toStoreBudget(target),
      remaining: quota.remaining ?? 0,
      resetInMs: quota.resetInMs ?? null,
      holdMs: quota.intervalMs ?? null,
    }));
    store.lowerRemaining(adjustments).then(
      (values) => {
        for (const [index, target] of targets.entries()) {
          metrics.remaining({ connector: options.connector, budget: target.budget.name, connectionId: options.connectionId }, values[index] ?? 0);
        }
      },
      (error: unknown) => warnWrite({ err: error, connector: options.connector, connectionId: options.connectionId }, "rate limiter could not lower its budgets to the provider's quota"),
    );
  }

  async function snapshot(connectionId: string, options?: SnapshotOptions): Promise<BudgetKeySnapshot[]> {
    assertOpen();
    const context = options ?? plans.lastContext(connectionId);
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

    const error = closedWhileWaitingError();
    for (const waiter of [...interactiveWaiters, ...bulkWaiters]) {
      if (settle(waiter)) waiter.reject(error);
    }
    await store.close();
  }

  return { acquire, ...(store.tryAcquireUnlessStored ? { acquireUnlessStored } : {}), observe, snapshot, close };
}
