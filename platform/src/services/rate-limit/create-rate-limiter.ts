import type { Redis } from 'ioredis';
import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { BudgetStoreSettings } from './budget-store.js';
import { systemClock } from './clock.js';
import { createMemoryBudgetStore } from './memory-budget-store.js';
import { createQueuedRateLimiter } from './queued-rate-limiter.js';
import { noopRateLimitMetrics, type RateLimitMetrics } from './rate-limit-metrics.js';
import type { Clock, RateLimiter } from './rate-limit-types.js';
import { createRedisBudgetStore } from './redis-budget-store.js';

export interface CreateRateLimiterOptions {
  /** With a client, budgets live in Redis and are shared by every process using the same prefix. Without one, they live in this process. */
  redis?: Redis;
  /** Prepended to every Redis key, e.g. "lumio:rate-limit:". Required with `redis`. */
  keyPrefix: string;
  logger: Logger;
  metrics?: RateLimitMetrics;
  /** Time source for waiting and, in process, for the budgets. Redis budgets use the server's TIME. */
  clock?: Clock;
  /**
   * Share of each budget kept for interactive requests while interactive traffic is
   * active on it (an interactive request tried it within the last window), 0 to 1.
   * Default 0.2: bulk requests then stop at 80% of the limit (rounded down).
   */
  interactiveShare?: number;
  /**
   * Milliseconds added to every sliding window, so that delivery jitter between our grant
   * and the provider's count cannot fit one request too many into the provider's window.
   * Default 50.
   */
  windowMarginMs?: number;
  /** First pause after a 429 without a wait header, in milliseconds. Default 1000. */
  initialBackoffMs?: number;
  /** Cap of the doubling pause, in milliseconds. Default 16000, the retry policy's default maxDelayMs. */
  maxBackoffMs?: number;
  /** Cap of any pause, also one that the provider's wait header requests, in milliseconds. Default 900000 (15 minutes). */
  maxPauseMs?: number;
  /** A grant that waited longer than this many milliseconds is logged at info. Default 1000. */
  longWaitLogMs?: number;
  /**
   * Redis only: max units of every budget one acquire may take as a lease, which this
   * process then hands to its next requests without a round trip to Redis. A lease is
   * taken only while every budget stays at most half used after it, and is also capped at
   * 1/64 of the smallest limit, so limits below 128 get none. Default 16; 0 or 1 turns leases off.
   */
  maxLeaseSize?: number;
  /**
   * Redis only: lifetime of a lease in milliseconds, capped at a tenth of the shortest
   * interval. Its unused units then go back to Redis. Default 100.
   */
  leaseMs?: number;
}

/**
 * Creates a rate limiter for the budgets of connector manifests: in process without
 * `redis`, or shared through Redis with it. The Redis client stays the caller's to close.
 */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const settings: BudgetStoreSettings = {
    windowMarginMs: readNumber(options, 'windowMarginMs', 50),
    initialBackoffMs: readNumber(options, 'initialBackoffMs', 1000),
    maxBackoffMs: readNumber(options, 'maxBackoffMs', 16_000),
    maxPauseMs: readNumber(options, 'maxPauseMs', 900_000),
  };
  const interactiveShare = readNumber(options, 'interactiveShare', 0.2);
  if (interactiveShare > 1) throw invalidOption('interactiveShare', interactiveShare, 'a number from 0 to 1');
  if (options.redis && (typeof options.keyPrefix !== 'string' || options.keyPrefix === '')) {
    throw invalidOption('keyPrefix', options.keyPrefix, 'a non-empty string such as "lumio:rate-limit:"');
  }

  const leaseSettings = {
    maxLeaseSize: readNumber(options, 'maxLeaseSize', 16),
    leaseMs: readNumber(options, 'leaseMs', 100),
  };
  if (!Number.isInteger(leaseSettings.maxLeaseSize)) throw invalidOption('maxLeaseSize', leaseSettings.maxLeaseSize, 'a whole number of at least 0');

  const store = options.redis
    ? createRedisBudgetStore({ ...settings, ...leaseSettings, client: options.redis, keyPrefix: options.keyPrefix, logger: options.logger })
    : createMemoryBudgetStore(clock, settings);

  return createQueuedRateLimiter({
    store,
    logger: options.logger,
    metrics: options.metrics ?? noopRateLimitMetrics,
    clock,
    interactiveShare,
    longWaitLogMs: readNumber(options, 'longWaitLogMs', 1000),
  });
}

type NumericOption = 'interactiveShare' | 'windowMarginMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'maxPauseMs' | 'longWaitLogMs' | 'maxLeaseSize' | 'leaseMs';

function readNumber(options: CreateRateLimiterOptions, name: NumericOption, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidOption(name, value, 'a finite number of at least 0');
  return value;
}

function invalidOption(name: string, value: unknown, expected: string): LumioError {
  return new LumioError('RATE_LIMIT_OPTIONS_INVALID', `The rate limiter option ${name} is ${JSON.stringify(value)}; pass ${expected}.`, {
    status: 500,
    fault: 'platform',
    details: { option: name },
  });
}
