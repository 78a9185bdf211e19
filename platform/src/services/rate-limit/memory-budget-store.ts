import type { BudgetReading, BudgetStore, BudgetStoreSettings, QuotaAdjustment, StoreBudget, TryAcquireRequest } from './budget-store.js';
import type { Clock } from './rate-limit-types.js';

// The Lua scripts in redis-scripts.ts implement the same rules; keep the two in step.

/** Token counts within this of a whole token count as that token, against float drift. */
const TOKEN_EPSILON = 1e-9;

/** Keys are swept for idleness once per this many grants. */
const SWEEP_EVERY = 1000;

/** Expired window entries are cut from the array once at least this many, and half of it, have expired. */
const COMPACT_AFTER = 1024;

interface WindowEntry {
  /** Clock milliseconds the entry counts from: its grant, or its response after `complete`. */
  time: number;
  /** The grant id, or "" for a placeholder from the provider's quota. */
  grantId: string;
}

interface KeyState {
  /** Sliding window entries, ascending by time. Those before `head` have expired. */
  entries: WindowEntry[];
  /** Index of the oldest entry that `prune` has not dropped yet. */
  head: number;
  /** Token bucket: tokens at `updatedAt`. Undefined means a full bucket. */
  tokens?: number;
  updatedAt: number;
  pauseUntil: number;
  /** Length of the last doubling pause, in milliseconds (0 before the first). */
  backoffMs: number;
  /** Time of the last interactive try; -Infinity when there was none. */
  interactiveAt: number;
  /** Grants left before `capUntil`, from a provider quota with a reset time. */
  capRemaining: number;
  capUntil: number;
  /** Time from which the state equals a fresh one (empty window, full bucket, nothing to remember). */
  idleAt: number;
}

interface Evaluation {
  wait: number;
  remaining: number;
  tokens: number;
}

/** Creates a budget store in process memory: budgets are shared only by this process's requests. */
export function createMemoryBudgetStore(clock: Clock, settings: BudgetStoreSettings): BudgetStore {
  const states = new Map<string, KeyState>();
  let grants = 0;
  let grantSequence = 0;

  function stateOf(key: string): KeyState {
    let state = states.get(key);
    if (!state) {
      state = {
        entries: [],
        head: 0,
        updatedAt: 0,
        pauseUntil: 0,
        backoffMs: 0,
        interactiveAt: Number.NEGATIVE_INFINITY,
        capRemaining: 0,
        capUntil: 0,
        idleAt: 0,
      };
      states.set(key, state);
    }
    return state;
  }

  function windowOf(budget: StoreBudget): number {
    return budget.algorithm === 'slidingWindow' ? budget.intervalMs + settings.windowMarginMs : budget.intervalMs;
  }

  function extendIdle(state: KeyState, until: number): void {
    state.idleAt = Math.max(state.idleAt, until);
  }

  // Drops window entries at or before now - window: the window is (now - window, now].
  // Moving `head` costs nothing per request, where cutting the array's front would copy
  // every entry left, so the array is cut only once half of it has expired.
  function prune(state: KeyState, window: number, now: number): void {
    const { entries } = state;
    while (state.head < entries.length && entries[state.head]!.time <= now - window) state.head += 1;
    if (state.head >= COMPACT_AFTER && state.head * 2 >= entries.length) {
      entries.splice(0, state.head);
      state.head = 0;
    }
  }

  function countEntries(state: KeyState): number {
    return state.entries.length - state.head;
  }

  function refill(state: KeyState, budget: StoreBudget, now: number): number {
    const tokens = state.tokens ?? budget.limit;
    return Math.min(budget.limit, tokens + (Math.max(0, now - state.updatedAt) * budget.limit) / budget.intervalMs);
  }

  function capOf(state: KeyState, now: number): number {
    return state.capUntil > now ? state.capRemaining : Number.POSITIVE_INFINITY;
  }

  function evaluate(state: KeyState, budget: StoreBudget, now: number, priority: TryAcquireRequest['priority']): Evaluation {
    const window = windowOf(budget);
    const reserved = priority === 'bulk' && now - state.interactiveAt < window;
    const lapse = reserved ? state.interactiveAt + window - now : 0;
    const cap = capOf(state, now);
    const outsideWait = Math.max(state.pauseUntil - now, cap <= 0 ? state.capUntil - now : 0, 0);

    if (budget.algorithm === 'slidingWindow') {
      prune(state, window, now);
      const count = countEntries(state);
      const algorithmWait = reserved
        ? Math.min(windowWaitBelow(state, budget.bulkLimit, window, now), Math.max(windowWaitBelow(state, budget.limit, window, now), lapse))
        : windowWaitBelow(state, budget.limit, window, now);
      return { wait: Math.max(outsideWait, algorithmWait), remaining: Math.max(0, Math.min(cap, budget.limit - count)), tokens: 0 };
    }

    const tokens = refill(state, budget, now);
    const bulkNeeded = budget.limit - budget.bulkLimit + 1;
    const algorithmWait = reserved
      ? Math.min(bucketWaitFor(budget, tokens, bulkNeeded), Math.max(bucketWaitFor(budget, tokens, 1), lapse))
      : bucketWaitFor(budget, tokens, 1);
    return { wait: Math.max(outsideWait, algorithmWait), remaining: Math.max(0, Math.min(cap, Math.floor(tokens + TOKEN_EPSILON))), tokens };
  }

  function commit(state: KeyState, budget: StoreBudget, now: number, tokens: number, grantId: string): number {
    if (state.capUntil > now) state.capRemaining -= 1;

    if (budget.algorithm === 'slidingWindow') {
      addEntry(state, budget, { time: now, grantId });
      return Math.max(0, Math.min(capOf(state, now), budget.limit - countEntries(state)));
    }
    setTokens(state, budget, tokens - 1, now);
    return Math.max(0, Math.min(capOf(state, now), Math.floor(tokens - 1 + TOKEN_EPSILON)));
  }

  function addEntry(state: KeyState, budget: StoreBudget, entry: WindowEntry): void {
    insertSorted(state, entry);
    extendIdle(state, entry.time + windowOf(budget));
  }

  function setTokens(state: KeyState, budget: StoreBudget, tokens: number, updatedAt: number): void {
    state.tokens = tokens;
    state.updatedAt = updatedAt;
    extendIdle(state, updatedAt + ((budget.limit - tokens) * budget.intervalMs) / budget.limit);
  }

  function lower(adjustment: QuotaAdjustment, now: number): number {
    const { budget, remaining, resetInMs, holdMs } = adjustment;
    const state = stateOf(budget.key);
    const window = windowOf(budget);

    if (resetInMs !== null) {
      // The provider counts in fixed windows: at most `remaining` more until its reset.
      state.capRemaining = remaining;
      state.capUntil = now + resetInMs;
      extendIdle(state, state.capUntil);
    } else if (budget.algorithm === 'slidingWindow') {
      prune(state, window, now);
      // Placeholder entries stand for requests the provider counted and we did not; each
      // expires `holdMs` from now (default: one window).
      const placeholderTime = now + (holdMs ?? window) - window;
      for (let believed = budget.limit - countEntries(state); believed > remaining; believed -= 1) addEntry(state, budget, { time: placeholderTime, grantId: '' });
    } else {
      const tokens = refill(state, budget, now);
      if (remaining < Math.floor(tokens + TOKEN_EPSILON)) setTokens(state, budget, remaining, now);
    }
    return evaluate(state, budget, now, 'interactive').remaining;
  }

  // Deletes keys whose state equals a fresh one, so idle connections do not hold memory.
  function sweep(now: number): void {
    for (const [key, state] of states) {
      if (state.idleAt <= now) states.delete(key);
    }
  }

  return {
    async tryAcquire(request) {
      const now = clock.now();
      const evaluations = request.budgets.map((budget) => evaluate(stateOf(budget.key), budget, now, request.priority));
      if (request.priority === 'interactive') {
        for (const budget of request.budgets) {
          const state = stateOf(budget.key);
          state.interactiveAt = now;
          extendIdle(state, now + windowOf(budget));
        }
      }

      const waits = evaluations.map((evaluation) => toWholeMs(evaluation.wait));
      const waitMs = Math.max(0, ...waits);
      if (waitMs > 0) return { granted: false, grantId: '', waitMs, remaining: evaluations.map((evaluation) => evaluation.remaining), waits };

      grantSequence += 1;
      const grantId = `grant-${grantSequence}`;
      const remaining = request.budgets.map((budget, index) => commit(stateOf(budget.key), budget, now, evaluations[index]!.tokens, grantId));
      grants += 1;
      if (grants % SWEEP_EVERY === 0) sweep(now);
      return { granted: true, grantId, waitMs: 0, remaining, waits };
    },

    async complete(grantId, budgets) {
      const now = clock.now();
      for (const budget of budgets) {
        const state = states.get(budget.key);
        if (!state || budget.algorithm !== 'slidingWindow') continue;

        // The grant is almost always among the newest entries, so search from the end: a
        // search from the start costs the whole window on every response.
        let index = state.entries.length - 1;
        while (index >= state.head && state.entries[index]!.grantId !== grantId) index -= 1;
        if (index < state.head) continue;
        const [entry] = state.entries.splice(index, 1);
        addEntry(state, budget, { time: Math.max(entry!.time, now), grantId });
      }
    },

    async lowerRemaining(adjustments) {
      const now = clock.now();
      return adjustments.map((adjustment) => lower(adjustment, now));
    },

    async pause(request) {
      const now = clock.now();
      return request.budgets.map((budget) => {
        const state = stateOf(budget.key);
        if (request.retryAfterMs !== null) {
          state.pauseUntil = Math.max(state.pauseUntil, now + Math.min(request.retryAfterMs, settings.maxPauseMs));
        } else if (state.pauseUntil <= now) {
          // A 429 during a pause came from a request sent before it, so only a 429 after the
          // pause doubles the backoff, and only when it follows the last pause closely.
          const follows = state.backoffMs > 0 && now - state.pauseUntil < settings.maxBackoffMs;
          state.backoffMs = follows ? Math.min(state.backoffMs * 2, settings.maxBackoffMs) : settings.initialBackoffMs;
          state.pauseUntil = now + Math.min(state.backoffMs, settings.maxPauseMs);
        }
        extendIdle(state, state.pauseUntil + settings.maxBackoffMs);
        return toWholeMs(state.pauseUntil - now);
      });
    },

    async read(budgets): Promise<BudgetReading[]> {
      const now = clock.now();
      return budgets.map((budget) => {
        const state = states.get(budget.key);
        if (!state) return { used: 0, remaining: budget.limit, pausedForMs: 0 };

        const { remaining } = evaluate(state, budget, now, 'interactive');
        return { used: budget.limit - remaining, remaining, pausedForMs: toWholeMs(state.pauseUntil - now) };
      });
    },

    async close() {
      states.clear();
    },
  };
}

/**
 * Returns the time until fewer than `limit` entries remain in a pruned window, which is
 * when the entry at index count - limit expires.
 */
function windowWaitBelow(state: KeyState, limit: number, window: number, now: number): number {
  const count = state.entries.length - state.head;
  if (limit <= 0) return Number.POSITIVE_INFINITY;
  if (count < limit) return 0;
  return state.entries[state.head + count - limit]!.time + window - now;
}

/** Returns the time until a bucket that contains `tokens` now contains at least `needed`. */
function bucketWaitFor(budget: StoreBudget, tokens: number, needed: number): number {
  if (needed > budget.limit) return Number.POSITIVE_INFINITY;
  if (tokens + TOKEN_EPSILON >= needed) return 0;
  return (needed - tokens) / (budget.limit / budget.intervalMs);
}

/** Rounds a wait up to whole milliseconds: 0 stays 0, anything above becomes at least 1. */
function toWholeMs(ms: number): number {
  if (ms <= 0) return 0;
  return Math.min(Math.ceil(ms), 2 ** 31 - 1);
}

function insertSorted(state: KeyState, entry: WindowEntry): void {
  const { entries } = state;
  let index = entries.length;
  while (index > state.head && entries[index - 1]!.time > entry.time) index -= 1;
  entries.splice(index, 0, entry);
}
