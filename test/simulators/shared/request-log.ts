import type { QueryRecord } from './http-helpers.js';

/** One API request as a simulator saw it, for assertions in tests. */
export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: QueryRecord;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  status: number;
  /** Arrival time in epoch milliseconds, read from the simulator's clock. */
  time: number;
  /** Wall time from arrival to the end of the response, in milliseconds. */
  durationMs: number;
}

/**
 * A bounded in-memory log of requests. When full, the oldest entries are dropped so a
 * long demo or benchmark run keeps a fixed memory footprint.
 */
export class RequestLog {
  private items: LoggedRequest[] = [];

  constructor(private readonly maxEntries = 10_000) {}

  get entries(): readonly LoggedRequest[] {
    return this.items;
  }

  record(entry: LoggedRequest): void {
    if (this.maxEntries <= 0) {
      return;
    }
    if (this.items.length >= this.maxEntries) {
      this.items.splice(0, this.items.length - this.maxEntries + 1);
    }
    this.items.push(entry);
  }

  /** Counts entries, optionally only those matching `predicate`. */
  count(predicate?: (entry: LoggedRequest) => boolean): number {
    return predicate === undefined ? this.items.length : this.items.filter(predicate).length;
  }

  reset(): void {
    this.items = [];
  }
}

/**
 * Returns the most arrivals in any window of `intervalMs`, as a provider's rolling limit
 * counts them: an arrival at `t` shares a window with the earlier ones after `t - intervalMs`.
 */
export function busiestWindow(sortedArrivals: readonly number[], intervalMs: number): number {
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sortedArrivals.length; last += 1) {
    while (sortedArrivals[first]! <= sortedArrivals[last]! - intervalMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}
