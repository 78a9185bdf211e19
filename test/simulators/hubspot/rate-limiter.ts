import type { RateLimitPolicy } from './errors.js';

/**
 * Rate limits as HubSpot applies them to a private app or OAuth token. The defaults are
 * HubSpot's published limits for a Free or Starter account's private app: 100 requests
 * per rolling 10 seconds and 250,000 a day. Search gets 5 requests a second, the figure
 * in HubSpot's current search guide (a 2020 changelog gave 4 per token).
 */
export interface HubSpotRateLimitOptions {
  /** Requests allowed per rolling interval, per token. Default 100. */
  maxPerInterval?: number;
  /** Length of the rolling interval in milliseconds. Default 10,000. */
  intervalMs?: number;
  /**
   * Requests allowed per UTC day, per token, or false for OAuth apps, which HubSpot
   * gives no daily limit and no `X-HubSpot-RateLimit-Daily*` headers. Default 250,000.
   */
  daily?: number | false;
  /** Search requests allowed per second, per token, or false for no search limit. Default 5. */
  searchPerSecond?: number | false;
  /**
   * Whether search responses carry `X-HubSpot-RateLimit-*` headers. Default false,
   * because HubSpot's search endpoints have been reported to send none.
   */
  searchHeaders?: boolean;
}

interface TokenUsage {
  /** Arrival times of accepted requests inside the rolling interval, oldest first. */
  interval: number[];
  /** Arrival times of accepted search requests inside the last second, oldest first. */
  searches: number[];
  day: number;
  dailyCount: number;
}

export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; policy: RateLimitPolicy; headers: Record<string, string> };

const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

function dropBefore(times: number[], threshold: number): void {
  let expired = 0;
  while (expired < times.length && (times[expired] as number) <= threshold) {
    expired++;
  }
  if (expired > 0) {
    times.splice(0, expired);
  }
}

/** Sliding-window counters per token. Times come from the simulator's clock. */
export class RateLimiter {
  private readonly usage = new Map<string, TokenUsage>();
  private readonly maxPerInterval: number;
  private readonly intervalMs: number;
  private readonly daily: number | false;
  private readonly searchPerSecond: number | false;
  private readonly searchHeaders: boolean;

  constructor(options: HubSpotRateLimitOptions = {}) {
    this.maxPerInterval = options.maxPerInterval ?? 100;
    this.intervalMs = options.intervalMs ?? 10_000;
    this.daily = options.daily ?? 250_000;
    this.searchPerSecond = options.searchPerSecond ?? 5;
    this.searchHeaders = options.searchHeaders ?? false;
  }

  /** Counts a request by `token` at `now` (epoch ms) unless a limit is reached. */
  take(token: string, now: number, isSearch: boolean): RateDecision {
    const usage = this.usageOf(token, now);
    dropBefore(usage.interval, now - this.intervalMs);
    dropBefore(usage.searches, now - SECOND_MS);

    let policy: RateLimitPolicy | undefined;
    if (this.daily !== false && usage.dailyCount >= this.daily) {
      policy = 'DAILY';
    } else if (usage.interval.length >= this.maxPerInterval) {
      policy = 'TEN_SECONDLY_ROLLING';
    } else if (isSearch && this.searchPerSecond !== false && usage.searches.length >= this.searchPerSecond) {
      policy = 'SECONDLY';
    }

    if (policy === undefined) {
      usage.interval.push(now);
      usage.dailyCount++;
      if (isSearch) {
        usage.searches.push(now);
      }
    }

    const headers = isSearch && !this.searchHeaders ? {} : this.headersFor(usage, now);
    return policy === undefined ? { allowed: true, headers } : { allowed: false, policy, headers };
  }

  /** Headers for a response that did not count against the limits, such as an injected 429. */
  peekHeaders(token: string, now: number): Record<string, string> {
    const usage = this.usageOf(token, now);
    dropBefore(usage.interval, now - this.intervalMs);
    return this.headersFor(usage, now);
  }

  reset(): void {
    this.usage.clear();
  }

  private usageOf(token: string, now: number): TokenUsage {
    const day = Math.floor(now / DAY_MS);
    let usage = this.usage.get(token);
    if (usage === undefined) {
      usage = { interval: [], searches: [], day, dailyCount: 0 };
      this.usage.set(token, usage);
    }
    // NOTE: HubSpot resets the daily count at midnight in the account's time zone, but the simulator uses UTC.
    if (usage.day !== day) {
      usage.day = day;
      usage.dailyCount = 0;
    }
    return usage;
  }

  private headersFor(usage: TokenUsage, now: number): Record<string, string> {
    // HubSpot still sends the per-second pair, derived from the interval limit, although it no longer enforces it.
    const secondly = Math.max(1, Math.floor((this.maxPerInterval * SECOND_MS) / this.intervalMs));
    let lastSecond = 0;
    for (let index = usage.interval.length - 1; index >= 0 && (usage.interval[index] as number) > now - SECOND_MS; index--) {
      lastSecond++;
    }

    const headers: Record<string, string> = {};
    if (this.daily !== false) {
      headers['X-HubSpot-RateLimit-Daily'] = String(this.daily);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.daily - usage.dailyCount));
    }
    headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(this.intervalMs);
    headers['X-HubSpot-RateLimit-Max'] = String(this.maxPerInterval);
    headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, this.maxPerInterval - usage.interval.length));
    headers['X-HubSpot-RateLimit-Secondly'] = String(secondly);
    headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(Math.max(0, secondly - lastSecond));
    return headers;
  }
}
