import { describe, expect, it } from 'vitest';
import type { BudgetStoreSettings, StoreBudget } from './budget-store.js';
import { createManualClock } from './manual-clock.js';
import { createMemoryBudgetStore } from './memory-budget-store.js';

const SETTINGS: BudgetStoreSettings = { windowMarginMs: 0, initialBackoffMs: 1000, maxBackoffMs: 8000, maxPauseMs: 60_000 };

function window(limit: number, intervalMs: number, key = 'w'): StoreBudget {
  return { key, algorithm: 'slidingWindow', limit, intervalMs, bulkLimit: limit };
}

function bucket(limit: number, intervalMs: number, key = 'b'): StoreBudget {
  return { key, algorithm: 'tokenBucket', limit, intervalMs, bulkLimit: limit };
}

function setup(settings: Partial<BudgetStoreSettings> = {}) {
  const clock = createManualClock();
  const store = createMemoryBudgetStore(clock, { ...SETTINGS, ...settings });
  const take = (budgets: StoreBudget[], priority: 'interactive' | 'bulk' = 'bulk') => store.tryAcquire({ budgets, priority });
  return { clock, store, take };
}

describe('memory budget store: sliding window', () => {
  it('admits the limit then waits', async () => {
    const { take } = setup();
    const budget = window(3, 1000);

    for (let index = 0; index < 3; index += 1) expect((await take([budget])).granted).toBe(true);
    const denied = await take([budget]);

    expect(denied.granted).toBe(false);
    expect(denied.waitMs).toBe(1000);
    expect(denied.remaining).toEqual([0]);
  });

  it('frees a slot exactly at the edge', async () => {
    const { clock, take } = setup();
    const budget = window(2, 1000);
    await take([budget]);
    await clock.advance(400);
    await take([budget]);

    await clock.advance(599);
    const justBefore = await take([budget]);
    await clock.advance(1);
    const atEdge = await take([budget]);

    expect(justBefore.granted).toBe(false);
    expect(justBefore.waitMs).toBe(1);
    expect(atEdge.granted).toBe(true);
  });

  it('never exceeds the limit in any window', async () => {
    const { clock, take } = setup();
    const budget = window(5, 1000);
    const grants: number[] = [];

    // Irregular steps, so grants land at many offsets within the window.
    for (let step = 0; step < 400; step += 1) {
      if ((await take([budget])).granted) grants.push(clock.now());
      await clock.advance(7 + (step % 5) * 13);
    }

    expect(grants.length).toBeGreaterThan(20);
    for (let index = 5; index < grants.length; index += 1) {
      expect(grants[index]! - grants[index - 5]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('keeps counting after dropping expired entries', async () => {
    const { clock, take } = setup();
    const budget = window(3000, 1000);
    for (let index = 0; index < 2500; index += 1) await take([budget]);
    await clock.advance(600);
    for (let index = 0; index < 500; index += 1) await take([budget]);
    await clock.advance(400);

    // The 2500 grants at 0 ms have expired, so the store drops them from its array. The 500 at 600 ms remain.
    let granted = 0;
    while (granted < 3000 && (await take([budget])).granted) granted += 1;
    const denied = await take([budget]);

    expect(granted).toBe(2500);
    expect(denied.waitMs).toBe(600);
    expect(denied.remaining).toEqual([0]);
  });

  it('adds the margin to the window', async () => {
    const { clock, take } = setup({ windowMarginMs: 50 });
    const budget = window(1, 1000);
    await take([budget]);

    await clock.advance(1000);
    const atInterval = await take([budget]);
    await clock.advance(50);
    const afterMargin = await take([budget]);

    expect(atInterval.waitMs).toBe(50);
    expect(afterMargin.granted).toBe(true);
  });
});

describe('memory budget store: token bucket', () => {
  it('refills at limit per interval', async () => {
    const { clock, take } = setup();
    // Shopify's REST bucket: 40 requests, leaking 2 per second.
    const budget = bucket(40, 20_000);
    for (let index = 0; index < 40; index += 1) expect((await take([budget])).granted).toBe(true);

    const empty = await take([budget]);
    await clock.advance(499);
    const almost = await take([budget]);
    await clock.advance(1);
    const refilled = await take([budget]);

    expect(empty.waitMs).toBe(500);
    expect(almost.granted).toBe(false);
    expect(refilled.granted).toBe(true);
  });

  it('caps the refill at the capacity', async () => {
    const { clock, take } = setup();
    const budget = bucket(4, 400);
    await take([budget]);
    await clock.advance(60_000);

    let granted = 0;
    while ((await take([budget])).granted) granted += 1;

    expect(granted).toBe(4);
  });
});

describe('memory budget store: several budgets', () => {
  it('takes all budgets or none', async () => {
    const { store, take } = setup();
    const shared = window(10, 1000, 'shared');
    const group = window(1, 1000, 'group');
    await take([shared, group]);

    const denied = await take([shared, group]);
    const readings = await store.read([shared, group]);

    expect(denied.granted).toBe(false);
    expect(denied.waits).toEqual([0, 1000]);
    expect(readings.map((reading) => reading.used)).toEqual([1, 1]);
  });

  it('waits for the slowest budget', async () => {
    const { take } = setup();
    const fast = window(1, 200, 'fast');
    const slow = bucket(1, 900, 'slow');
    await take([fast, slow]);

    const denied = await take([fast, slow]);

    expect(denied.waits).toEqual([200, 900]);
    expect(denied.waitMs).toBe(900);
  });
});

describe('memory budget store: interactive reserve', () => {
  it('holds bulk at the bulk limit', async () => {
    const { take } = setup();
    const budget: StoreBudget = { ...window(10, 1000), bulkLimit: 8 };
    await take([budget], 'interactive');

    let bulkGrants = 0;
    while ((await take([budget], 'bulk')).granted) bulkGrants += 1;
    let interactiveGrants = 0;
    while ((await take([budget], 'interactive')).granted) interactiveGrants += 1;

    expect(bulkGrants).toBe(7);
    expect(interactiveGrants).toBe(2);
  });

  it('lets bulk use everything without interactive traffic', async () => {
    const { take } = setup();
    const budget: StoreBudget = { ...bucket(10, 1000), bulkLimit: 8 };

    let bulkGrants = 0;
    while ((await take([budget], 'bulk')).granted) bulkGrants += 1;

    expect(bulkGrants).toBe(10);
  });

  it('ends the reserve one window later', async () => {
    const { clock, take } = setup();
    const budget: StoreBudget = { ...window(2, 1000), bulkLimit: 1 };
    await take([budget], 'interactive');
    const deniedAtOnce = await take([budget], 'bulk');
    await clock.advance(400);
    const deniedLater = await take([budget], 'bulk');

    expect(deniedAtOnce.granted).toBe(false);
    // The slot frees when the interactive request's reserve ends, 1000 ms after it.
    expect(deniedLater.waitMs).toBe(600);
    await clock.advance(600);
    expect((await take([budget], 'bulk')).granted).toBe(true);
  });
});

describe('memory budget store: provider quota', () => {
  it('holds placeholders for the hold time', async () => {
    const { clock, store, take } = setup();
    const budget = window(10, 1000);

    const [remaining] = await store.lowerRemaining([{ budget, remaining: 2, resetInMs: null, holdMs: 3000 }]);
    let granted = 0;
    while ((await take([budget])).granted) granted += 1;
    // The two grants expire after one window; the eight placeholders after 3000 ms.
    await clock.advance(1000);
    let grantedAfterOwnWindow = 0;
    while ((await take([budget])).granted) grantedAfterOwnWindow += 1;
    // At 2999 ms the grants of 1000 ms have expired but the placeholders have not.
    await clock.advance(1999);
    const beforeHoldEnds = await take([budget]);
    await clock.advance(1);
    let grantedAfterHold = 0;
    while ((await take([budget])).granted) grantedAfterHold += 1;

    expect(remaining).toBe(2);
    expect(granted).toBe(2);
    expect(grantedAfterOwnWindow).toBe(2);
    expect(beforeHoldEnds.granted).toBe(true);
    expect(beforeHoldEnds.remaining).toEqual([1]);
    expect(grantedAfterHold).toBe(9);
  });

  it('caps grants until the reset', async () => {
    const { clock, store, take } = setup();
    const budget = window(10, 1000);

    const [remaining] = await store.lowerRemaining([{ budget, remaining: 2, resetInMs: 3000, holdMs: null }]);
    let granted = 0;
    while ((await take([budget])).granted) granted += 1;
    const denied = await take([budget]);
    await clock.advance(2999);
    const beforeReset = await take([budget]);
    await clock.advance(1);
    let grantedAfterReset = 0;
    while ((await take([budget])).granted) grantedAfterReset += 1;

    expect(remaining).toBe(2);
    expect(granted).toBe(2);
    expect(denied.waitMs).toBe(3000);
    expect(beforeReset.granted).toBe(false);
    expect(grantedAfterReset).toBe(10);
  });

  it('keeps a lower own count', async () => {
    const { store, take } = setup();
    const budget = window(10, 1000);
    for (let index = 0; index < 8; index += 1) await take([budget]);

    const [remaining] = await store.lowerRemaining([{ budget, remaining: 5, resetInMs: null, holdMs: null }]);

    expect(remaining).toBe(2);
  });

  it('drains a bucket to the provider count', async () => {
    const { clock, store, take } = setup();
    // Shopify reports "38/40": two calls left in a bucket leaking 2 per second.
    const budget = bucket(40, 20_000);

    const [remaining] = await store.lowerRemaining([{ budget, remaining: 2, resetInMs: null, holdMs: null }]);
    let granted = 0;
    while ((await take([budget])).granted) granted += 1;
    const denied = await take([budget]);
    await clock.advance(500);

    expect(remaining).toBe(2);
    expect(granted).toBe(2);
    expect(denied.waitMs).toBe(500);
    expect((await take([budget])).granted).toBe(true);
  });
});

describe('memory budget store: pauses', () => {
  it('pauses for the provider wait', async () => {
    const { clock, store, take } = setup();
    const budget = window(10, 1000);

    const [paused] = await store.pause({ budgets: [budget], retryAfterMs: 2500 });
    const denied = await take([budget]);
    await clock.advance(2500);

    expect(paused).toBe(2500);
    expect(denied.waitMs).toBe(2500);
    expect((await take([budget])).granted).toBe(true);
  });

  it('doubles the backoff up to the cap', async () => {
    const { clock, store } = setup();
    const budget = window(10, 1000);
    const pauses: number[] = [];

    for (let hit = 0; hit < 6; hit += 1) {
      const [paused] = await store.pause({ budgets: [budget], retryAfterMs: null });
      pauses.push(paused!);
      await clock.advance(paused!);
    }

    expect(pauses).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('keeps the pause for hits during it', async () => {
    const { clock, store } = setup();
    const budget = window(10, 1000);
    await store.pause({ budgets: [budget], retryAfterMs: null });
    await clock.advance(300);

    const [paused] = await store.pause({ budgets: [budget], retryAfterMs: null });

    expect(paused).toBe(700);
  });

  it('restarts the backoff after a quiet spell', async () => {
    const { clock, store } = setup();
    const budget = window(10, 1000);
    await store.pause({ budgets: [budget], retryAfterMs: null });
    await clock.advance(1000 + 8000);

    const [paused] = await store.pause({ budgets: [budget], retryAfterMs: null });

    expect(paused).toBe(1000);
  });

  it('caps a provider wait', async () => {
    const { store } = setup({ maxPauseMs: 10_000 });

    const [paused] = await store.pause({ budgets: [window(10, 1000)], retryAfterMs: 86_400_000 });

    expect(paused).toBe(10_000);
  });
});

describe('memory budget store: completion', () => {
  it('counts a grant from its response', async () => {
    const { clock, store, take } = setup();
    const budget = window(1, 1000);
    const first = await take([budget]);
    await clock.advance(300);

    await store.complete(first.grantId, [budget]);
    await clock.advance(700);
    const oneWindowAfterGrant = await take([budget]);
    await clock.advance(300);
    const oneWindowAfterResponse = await take([budget]);

    expect(first.grantId).not.toBe('');
    expect(oneWindowAfterGrant.waitMs).toBe(300);
    expect(oneWindowAfterResponse.granted).toBe(true);
  });

  it('ignores an unknown grant', async () => {
    const { clock, store, take } = setup();
    const budget = window(1, 1000);
    await take([budget]);
    await clock.advance(300);

    await store.complete('grant-unknown', [budget]);
    await clock.advance(700);

    expect((await take([budget])).granted).toBe(true);
  });

  it('names each grant uniquely', async () => {
    const { take } = setup();
    const budget = window(5, 1000);

    const ids = new Set<string>();
    for (let index = 0; index < 5; index += 1) ids.add((await take([budget])).grantId);
    const denied = await take([budget]);

    expect(ids.size).toBe(5);
    expect(denied.grantId).toBe('');
  });
});
