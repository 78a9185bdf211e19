import type { StoreBudget, TryAcquireResult } from './budget-store.js';
import type { RequestPriority } from './rate-limit-types.js';

/** Upper bounds of every lease, from the limiter's options. */
export interface LeaseSettings {
  /** Max units one lease takes; below 2 turns leases off. */
  maxLeaseSize: number;
  /** Max lifetime of a lease, in milliseconds. */
  leaseMs: number;
}

/** Size and lifetime of the leases of one budgets array; size 1 means no lease. */
export interface LeasePlan {
  size: number;
  ms: number;
}

/**
 * A lease takes at most this fraction of the smallest limit, so that the units a process
 * holds unused stay a small share of the budget. Limits below 128 then get no lease.
 */
const LEASE_SHARE_OF_LIMIT = 1 / 64;

/** A lease lasts at most this fraction of the shortest interval. */
const LEASE_SHARE_OF_INTERVAL = 1 / 10;

const NO_LEASE: LeasePlan = Object.freeze({ size: 1, ms: 0 });

/** Returns the lease size and lifetime for a request's budgets. */
export function planLease(budgets: readonly StoreBudget[], settings: LeaseSettings): LeasePlan {
  if (budgets.length === 0) return NO_LEASE;

  let size = Math.floor(settings.maxLeaseSize);
  let ms = Math.floor(settings.leaseMs);
  for (const budget of budgets) {
    size = Math.min(size, Math.floor(budget.limit * LEASE_SHARE_OF_LIMIT));
    ms = Math.min(ms, Math.floor(budget.intervalMs * LEASE_SHARE_OF_INTERVAL));
  }
  return size >= 2 && ms >= 1 ? { size, ms } : NO_LEASE;
}

/** Units of every budget of a request that Redis counted as taken, which this process hands out without a round trip. */
export interface Lease {
  /** The grant id the lease was taken under; its window entries and grant ids are "<id>:<1..size>". */
  id: string;
  budgets: readonly StoreBudget[];
  priority: RequestPriority;
  size: number;
  /** Units handed out, the first to the request that took the lease. */
  used: number;
  /** End of the lease on this process's monotonic clock (performance.now milliseconds). */
  expiresAt: number;
  /** Per budget, the remaining allowance Redis reported after taking the lease. */
  remaining: number[];
  waits: number[];
  timer: NodeJS.Timeout | undefined;
}

export interface LeaseBook {
  /** Hands out one unit of a live lease of these budgets and priority, or returns undefined when there is none. */
  take(budgets: readonly StoreBudget[], priority: RequestPriority): TryAcquireResult | undefined;
  /** Returns whether `take` would hand out a unit now. */
  has(budgets: readonly StoreBudget[], priority: RequestPriority): boolean;
  /** Records a lease whose first unit went to the request that took it, and ends it after `ms`. */
  open(lease: Omit<Lease, 'used' | 'expiresAt' | 'waits' | 'timer'>, startedAt: number, ms: number): TryAcquireResult;
  /** Returns whether the grant came from a lease that has not ended, so its window entries still lie in the future. */
  isLive(grantId: string): boolean;
  /** Ends every lease on one of these budget keys. */
  endFor(keys: ReadonlySet<string>): void;
  endAll(): void;
}

/**
 * Creates the leases of one store. `onEnd` receives each lease that ended with units
 * unused, so the store can return them to Redis.
 */
export function createLeaseBook(onEnd: (lease: Lease, unused: number) => void): LeaseBook {
  const slots = new WeakMap<readonly StoreBudget[], Partial<Record<RequestPriority, Lease>>>();
  const live = new Map<string, Lease>();

  function usable(budgets: readonly StoreBudget[], priority: RequestPriority): Lease | undefined {
    const lease = slots.get(budgets)?.[priority];
    if (lease === undefined || lease.used >= lease.size) return undefined;
    if (performance.now() < lease.expiresAt) return lease;

    end(lease);
    return undefined;
  }

  function grant(lease: Lease): TryAcquireResult {
    const unused = lease.size - lease.used;
    return {
      granted: true,
      grantId: `${lease.id}:${lease.used}`,
      waitMs: 0,
      // The lease's unused units are this process's to send, so they count as remaining.
      remaining: lease.remaining.map((value) => value + unused),
      waits: lease.waits,
    };
  }

  function end(lease: Lease): void {
    if (!live.delete(lease.id)) return;

    clearTimeout(lease.timer);
    const slot = slots.get(lease.budgets);
    if (slot?.[lease.priority] === lease) delete slot[lease.priority];
    const unused = lease.size - lease.used;
    lease.used = lease.size;
    if (unused > 0) onEnd(lease, unused);
  }

  return {
    take(budgets, priority) {
      const lease = usable(budgets, priority);
      if (lease === undefined) return undefined;

      lease.used += 1;
      return grant(lease);
    },

    has: (budgets, priority) => usable(budgets, priority) !== undefined,

    open(fields, startedAt, ms) {
      const lease: Lease = { ...fields, used: 1, expiresAt: startedAt + ms, waits: fields.budgets.map(() => 0), timer: undefined };
      const slot = slots.get(lease.budgets) ?? {};
      const previous = slot[lease.priority];
      if (previous !== undefined) end(previous);

      slot[lease.priority] = lease;
      slots.set(lease.budgets, slot);
      live.set(lease.id, lease);
      lease.timer = setTimeout(() => end(lease), Math.max(0, lease.expiresAt - performance.now()));
      // Unused units go back when the lease ends, but an idle lease must not keep a finished process alive.
      lease.timer.unref();
      return grant(lease);
    },

    isLive(grantId) {
      const lease = live.get(grantId.slice(0, grantId.lastIndexOf(':')));
      return lease !== undefined && performance.now() < lease.expiresAt;
    },

    endFor(keys) {
      for (const lease of [...live.values()]) {
        if (lease.budgets.some((budget) => keys.has(budget.key))) end(lease);
      }
    },

    endAll() {
      for (const lease of [...live.values()]) end(lease);
    },
  };
}
