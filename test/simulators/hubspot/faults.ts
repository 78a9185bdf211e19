import { LumioError } from '../../../platform/src/errors/index.js';
import { injectedFailureBody, rateLimitBody } from './errors.js';
import type { RateLimitPolicy } from './errors.js';

/** A response the fault queue forces on a request in place of the real one. */
export interface InjectedResponse {
  status: number;
  body: unknown;
  /** Set for injected 429s, so the router can send rate-limit headers with zero remaining. */
  rateLimitPolicy?: RateLimitPolicy;
}

type Fault =
  | { kind: 'failure'; remaining: number; status: number; body: unknown }
  | { kind: 'rateLimit'; remaining: number; policy: RateLimitPolicy };

/**
 * Faults injected by tests, applied to CRM API requests in the order they were added.
 * Control requests under `/__simulator/` are never affected.
 */
export class FaultQueue {
  private queue: Fault[] = [];
  private delayMs = 0;
  private delayRemaining = 0;

  constructor(private readonly portalId: () => number) {}

  /** Makes the next `count` requests fail with `status` and `body`, or a HubSpot-shaped error body when omitted. */
  failNext(count: number, status: number, body?: unknown): void {
    assertCount(count);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw invalidFault(`The status ${status} is not an HTTP status code; pass 100 to 599.`);
    }
    this.queue.push({ kind: 'failure', remaining: count, status, body });
  }

  /** Makes the next `count` requests get HubSpot's 429 for `policy`, regardless of the real rate limits. */
  rateLimitNext(count: number, policy: RateLimitPolicy = 'TEN_SECONDLY_ROLLING'): void {
    assertCount(count);
    this.queue.push({ kind: 'rateLimit', remaining: count, policy });
  }

  /** Delays responses by `delayMs`: the next `count` ones, or all until changed when `count` is omitted. */
  setDelay(delayMs: number, count?: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw invalidFault(`The delay ${delayMs} ms is not a non-negative number; pass 0 or more.`);
    }
    if (count !== undefined) {
      assertCount(count);
    }
    this.delayMs = delayMs;
    this.delayRemaining = count ?? Number.POSITIVE_INFINITY;
  }

  /** Milliseconds to hold the current request, consuming one delayed response. */
  takeDelay(): number {
    if (this.delayMs === 0 || this.delayRemaining <= 0) {
      return 0;
    }
    this.delayRemaining--;
    return this.delayMs;
  }

  /** Returns and consumes the injected response for the current request, if any. */
  takeResponse(): InjectedResponse | undefined {
    const fault = this.queue[0];
    if (fault === undefined) {
      return undefined;
    }

    fault.remaining--;
    if (fault.remaining <= 0) {
      this.queue.shift();
    }

    if (fault.kind === 'rateLimit') {
      return { status: 429, body: rateLimitBody(fault.policy, this.portalId()), rateLimitPolicy: fault.policy };
    }
    return { status: fault.status, body: fault.body ?? injectedFailureBody(fault.status, this.portalId()) };
  }

  clear(): void {
    this.queue = [];
    this.delayMs = 0;
    this.delayRemaining = 0;
  }
}

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw invalidFault(`The count ${count} is not a positive integer; pass 1 or more.`);
  }
}

function invalidFault(message: string): LumioError {
  return new LumioError('SIMULATOR_INVALID_FAULT', message, { status: 400, fault: 'caller' });
}
