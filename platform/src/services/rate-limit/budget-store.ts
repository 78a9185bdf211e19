import type { RateLimitBudget } from '@lumio/plugin-sdk';
import type { RequestPriority } from './rate-limit-types.js';

/** A budget key with the numbers a store needs to enforce it. */
export interface StoreBudget {
  /** Key without the limiter's prefix. */
  key: string;
  algorithm: RateLimitBudget['algorithm'];
  limit: number;
  intervalMs: number;
  /**
   * Requests bulk traffic may use while interactive traffic is active on the key (see
   * `interactiveShare` of the limiter). 0 means bulk waits until interactive traffic stops.
   */
  bulkLimit: number;
}

export interface TryAcquireRequest {
  budgets: readonly StoreBudget[];
  priority: RequestPriority;
}

export interface TryAcquireResult {
  /** True when one unit of every budget was taken; false when none was. */
  granted: boolean;
  /** Names the grant's sliding-window entries for `complete`; "" when not granted. */
  grantId: string;
  /** Time until the request may be granted, in whole milliseconds (0 when granted, else at least 1). */
  waitMs: number;
  /** Per budget, in request order: remaining allowance after the grant, or now when not granted. */
  remaining: number[];
  /** Per budget, in request order: the wait this budget alone imposes (0 when it has room). */
  waits: number[];
}

/** Outcome of `tryAcquireUnlessStored`: the key's value and no grant, or no value and the try's result. */
export type StoredOrTryResult = { stored: string; granted: false } | (TryAcquireResult & { stored: null });

export interface QuotaAdjustment {
  budget: StoreBudget;
  /** Requests left according to the provider's quota headers. */
  remaining: number;
  /**
   * Time until the provider's window resets, in milliseconds, or null. With a reset, at
   * most `remaining` more requests are granted until then, whatever the budget's own count.
   */
  resetInMs: number | null;
  /**
   * Without a reset: how long a sliding window keeps the lowered count, in milliseconds
   * (null: one window). A token bucket instead drops to `remaining` tokens and refills.
   */
  holdMs: number | null;
}

export interface PauseRequest {
  budgets: readonly StoreBudget[];
  /** The provider's wait in milliseconds, or null to use the doubling backoff. */
  retryAfterMs: number | null;
}

export interface BudgetReading {
  used: number;
  remaining: number;
  /** Time left in a pause, in milliseconds (0 when not paused). */
  pausedForMs: number;
}

/** Settings every store applies the same way. */
export interface BudgetStoreSettings {
  /** Added to each sliding window's length, in milliseconds. */
  windowMarginMs: number;
  /** First pause after a 429 without a wait header, in milliseconds. */
  initialBackoffMs: number;
  /** Cap of the doubling pause, in milliseconds. */
  maxBackoffMs: number;
  /** Cap of any pause, also one from a wait header, in milliseconds. */
  maxPauseMs: number;
}

/**
 * Storage of budget state, in process memory or in Redis. Every method is atomic over
 * all the budgets it is given.
 */
export interface BudgetStore {
  tryAcquire(request: TryAcquireRequest): Promise<TryAcquireResult>;
  /**
   * Reads `key` and runs `tryAcquire` only when it contains no value, atomically. Only a
   * store in Redis has it; `key` is a full key of the same server, without the store's prefix.
   */
  tryAcquireUnlessStored?(request: TryAcquireRequest, key: string): Promise<StoredOrTryResult>;
  /**
   * Moves the grant's sliding-window entries to now; entries that already expired stay gone.
   * The Redis store queues the move to travel with its next script, so the promise settles then.
   */
  complete(grantId: string, budgets: readonly StoreBudget[]): Promise<void>;
  /** Lowers each budget's remaining allowance to the provider's count when it is lower; returns the new allowances. */
  lowerRemaining(adjustments: readonly QuotaAdjustment[]): Promise<number[]>;
  /** Pauses the budgets after a rate-limited response; returns each pause's length in milliseconds. */
  pause(request: PauseRequest): Promise<number[]>;
  read(budgets: readonly StoreBudget[]): Promise<BudgetReading[]>;
  close(): Promise<void>;
}
