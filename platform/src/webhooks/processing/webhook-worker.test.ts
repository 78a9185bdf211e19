import type { FieldMapping, WebhookRoute } from '@lumio/plugin-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { ConnectionService } from '../../connections/index.js';
import { silentLogger } from '../../observability/index.js';
import type { ClaimDueOptions, FailOutcome, Store, StoredWebhookEvent, UpsertPageInput } from '../../store/index.js';
import { createWebhookMetrics } from '../webhook-metrics.js';
import { WebhookWorker, type WebhookWorkerOptions } from './webhook-worker.js';

type Completion = Parameters<Store['webhookEvents']['completeMany']>[1][number];

const routes: WebhookRoute[] = [
  { eventType: 'orders/upsert', object: 'orders', action: 'upsert', idPath: 'id' },
  { eventType: 'orders/delete', object: 'orders', action: 'delete', idPath: 'id' },
];
const mapping: FieldMapping = { object: 'orders', canonicalObject: 'order', fields: [{ target: 'orderNumber', source: 'number' }] };
const connections = { requireConnector: () => ({ id: 'shop', manifest: { webhooks: { routes }, objects: { orders: {} } } }), invalidateCachedReads: async () => undefined } as unknown as ConnectionService;

let sequence = 0;
function event(eventType: string, payload: Record<string, unknown>): StoredWebhookEvent {
  sequence += 1;
  return {
    id: `whe_${String(sequence).padStart(4, '0')}`,
    workspaceId: 'ws_1',
    connectionId: 'conn_1',
    connectorId: 'shop',
    deliveryId: `whd_${sequence}`,
    dedupKey: `key-${sequence}`,
    providerEventId: `key-${sequence}`,
    eventType,
    payload,
    occurredAt: null,
    status: 'processing',
    attempts: 1,
    nextAttemptAt: Date.now(),
    lockedBy: 'worker',
    lockedUntil: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    result: null,
    receivedAt: 0,
    processedAt: null,
  };
}

interface FakeStoreOptions {
  /** Events the fake hands out, a batch per claim. */
  events: StoredWebhookEvent[];
  /** Events completeMany reports as still locked; all by default. */
  stillLocked?: (eventId: string) => boolean;
  /** upsertPage fails for a page holding this external id. */
  failingExternalId?: string;
  /** Called at each claim, before the claim returns. */
  onClaim?: (claim: number) => Promise<void> | void;
}

/** Creates an in-memory store with the methods the worker calls, recording each call. */
function fakeStore(options: FakeStoreOptions) {
  const queue = [...options.events];
  const calls = {
    claims: [] as Array<{ at: number; limit: number; returned: number }>,
    completeMany: [] as Completion[][],
    fail: [] as Array<{ eventId: string; outcome: FailOutcome }>,
    upsertPage: [] as UpsertPageInput[],
  };

  const store = {
    webhookEvents: {
      async claimDue(claim: ClaimDueOptions) {
        await options.onClaim?.(calls.claims.length);
        const batch = queue.splice(0, claim.limit);
        calls.claims.push({ at: performance.now(), limit: claim.limit, returned: batch.length });
        return batch;
      },
      async completeMany(_workerId: string, completions: Completion[]) {
        calls.completeMany.push(completions);
        return completions.map((completion) => completion.eventId).filter((eventId) => options.stillLocked?.(eventId) ?? true);
      },
      async fail(eventId: string, _workerId: string, outcome: FailOutcome) {
        calls.fail.push({ eventId, outcome });
        return true;
      },
      purgeOlderThan: async () => 0,
    },
    connections: { get: async (id: string) => ({ id, workspaceId: 'ws_1', connectorId: 'shop' }) },
    mappings: { activeFor: async () => ({ canonicalObject: 'order', definition: mapping }) },
    records: {
      findByExternalIds: async () => [],
      async upsertPage(input: UpsertPageInput) {
        calls.upsertPage.push(input);
        if (input.rows.some((row) => row.externalId === options.failingExternalId)) throw new Error('CHECK constraint failed');
        return { inserted: input.rows.length, updated: 0, unchanged: 0, deleted: 0 };
      },
    },
    lumioEvents: { append: async () => undefined },
  } as unknown as Store;
  return { store, calls, remaining: () => queue.length };
}

const workers: WebhookWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

function startWorker(store: Store, options: Partial<WebhookWorkerOptions> = {}) {
  const metrics = createWebhookMetrics();
  const worker = new WebhookWorker({ store, connections, metrics, logger: silentLogger, maxAttempts: 5, retentionDays: 30, pollIntervalMs: 20, wakeDelayMs: 0, ...options });
  workers.push(worker);
  worker.start();
  return { worker, metrics };
}

const processedCount = (metrics: ReturnType<typeof createWebhookMetrics>, status: string) => metrics.snapshot().processed.find((entry) => entry.status === status)?.value ?? 0;

/**
 * Starts a worker whose intake stores a delivery during every claim, so every round counts
 * as busy, and each claim takes 40 ms.
 */
function startBusyIntakeWorker(events: StoredWebhookEvent[], options: Partial<WebhookWorkerOptions>) {
  const started: { worker?: WebhookWorker } = {};
  const faked = fakeStore({
    events,
    onClaim: async () => {
      started.worker?.intakeStored();
      await new Promise((resolve) => setTimeout(resolve, 40));
    },
  });
  started.worker = startWorker(faked.store, options).worker;
  return faked;
}

describe('WebhookWorker', () => {
  it('completes a batch with one call', async () => {
    const events = [event('orders/upsert', { id: 1, number: '#1' }), event('orders/upsert', { id: 2, number: '#2' }), event('orders/upsert', { id: 1, number: '#1b' })];
    const { store, calls } = fakeStore({ events });
    const { metrics } = startWorker(store);

    await vi.waitFor(() => expect(calls.completeMany).toHaveLength(1));
    const [completions] = calls.completeMany as [Completion[]];
    expect(completions.map((completion) => completion.eventId)).toEqual(events.map((item) => item.id));
    expect(completions.map((completion) => completion.lumioEvents?.map((lumioEvent) => lumioEvent.type))).toEqual([
      ['webhook.received', 'record.created'],
      ['webhook.received', 'record.created'],
      ['webhook.received', 'record.updated'],
    ]);
    expect(completions.map((completion) => completion.outcome.result)).toEqual([
      { action: 'upsert', object: 'orders', externalId: '1' },
      { action: 'upsert', object: 'orders', externalId: '2' },
      { action: 'upsert', object: 'orders', externalId: '1' },
    ]);

    expect(calls.upsertPage).toHaveLength(1);
    expect(calls.upsertPage[0]?.rows.map((row) => [row.externalId, row.data])).toEqual([
      ['1', { orderNumber: '#1b' }],
      ['2', { orderNumber: '#2' }],
    ]);
    expect(processedCount(metrics, 'processed')).toBe(3);
  });

  it('fails only the event that cannot be applied', async () => {
    const events = [event('orders/upsert', { id: 1 }), event('orders/upsert', { number: 'no id' }), event('orders/unknown', { id: 3 })];
    const { store, calls } = fakeStore({ events });
    const { metrics } = startWorker(store);

    await vi.waitFor(() => expect(calls.completeMany).toHaveLength(1));
    expect(calls.completeMany[0]?.map((completion) => [completion.eventId, completion.outcome.status])).toEqual([
      [events[0]!.id, 'processed'],
      [events[2]!.id, 'ignored'],
    ]);
    expect(calls.fail).toEqual([{ eventId: events[1]!.id, outcome: expect.objectContaining({ code: 'WEBHOOK_EVENT_INVALID', nextAttemptAt: null }) }]);
    expect(processedCount(metrics, 'dead')).toBe(1);
  });

  it('counts only events it still held', async () => {
    const events = [event('orders/upsert', { id: 1 }), event('orders/upsert', { id: 2 })];
    const { store, calls } = fakeStore({ events, stillLocked: (eventId) => eventId === events[0]!.id });
    const { metrics } = startWorker(store);

    await vi.waitFor(() => expect(calls.completeMany).toHaveLength(1));
    await vi.waitFor(() => expect(processedCount(metrics, 'processed')).toBe(1));
    expect(calls.fail).toEqual([]);
  });

  it('processes events one at a time after a failed write', async () => {
    const events = [event('orders/upsert', { id: 12 }), event('orders/upsert', { id: 13 }), event('orders/delete', { id: 14 })];
    const { store, calls } = fakeStore({ events, failingExternalId: '13' });
    startWorker(store);

    await vi.waitFor(() => expect(calls.fail).toHaveLength(1));
    await vi.waitFor(() => expect(calls.completeMany).toHaveLength(1));
    expect(calls.upsertPage.map((page) => page.rows.map((row) => row.externalId))).toEqual([['12', '13', '14'], ['12'], ['13'], ['14']]);
    expect(calls.completeMany[0]?.map((completion) => completion.eventId)).toEqual([events[0]!.id, events[2]!.id]);
    expect(calls.fail[0]?.eventId).toBe(events[1]!.id);
    expect(calls.fail[0]?.outcome.code).toBe('WEBHOOK_BATCH_WRITE_FAILED');
    expect(calls.fail[0]?.outcome.nextAttemptAt).not.toBeNull();
  });

  it('retries every event when the completion fails', async () => {
    const events = [event('orders/upsert', { id: 1 }), event('orders/upsert', { id: 2 })];
    const { store, calls } = fakeStore({ events });
    store.webhookEvents.completeMany = async () => {
      throw new Error('database is locked');
    };
    startWorker(store);

    await vi.waitFor(() => expect(calls.fail).toHaveLength(2));
    expect(calls.fail.map((failure) => [failure.eventId, failure.outcome.code, failure.outcome.nextAttemptAt === null])).toEqual([
      [events[0]!.id, 'WEBHOOK_PROCESSING_FAILED', false],
      [events[1]!.id, 'WEBHOOK_PROCESSING_FAILED', false],
    ]);
  });

  it('claims the next full batch at once without intake', async () => {
    const events = Array.from({ length: 4 }, (_, index) => event('orders/upsert', { id: index }));
    const { store, calls } = fakeStore({ events, onClaim: () => new Promise((resolve) => setTimeout(resolve, 40)) });
    startWorker(store, { batchSize: 2 });

    await vi.waitFor(() => expect(calls.claims.length).toBeGreaterThanOrEqual(2));
    const gap = calls.claims[1]!.at - calls.claims[0]!.at;
    // The second claim waits only for its own 40 ms, not for a pause after the first round.
    expect(gap).toBeLessThan(100);
  });

  it('pauses after a round while the intake stores deliveries', async () => {
    const events = Array.from({ length: 4 }, (_, index) => event('orders/upsert', { id: index }));
    const { calls } = startBusyIntakeWorker(events, { batchSize: 2, shareWhileIntakeBusy: 0.25 });

    await vi.waitFor(() => expect(calls.claims.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    const gap = calls.claims[1]!.at - calls.claims[0]!.at;
    // A round of at least 40 ms at a 0.25 share is followed by a pause of at least 120 ms.
    expect(gap).toBeGreaterThanOrEqual(150);
  });

  it('shortens the pause while the loop idles', async () => {
    const events = Array.from({ length: 8 }, (_, index) => event('orders/upsert', { id: index }));
    const { calls } = startBusyIntakeWorker(events, { batchSize: 2, shareWhileIntakeBusy: 0.25 });

    await vi.waitFor(() => expect(calls.claims.length).toBeGreaterThanOrEqual(4), { timeout: 5_000 });
    // The first pause assumes a busy loop (120 ms after a 40 ms round). The loop idles during
    // it, so the worker takes most of the time afterwards.
    expect(calls.claims[1]!.at - calls.claims[0]!.at).toBeGreaterThanOrEqual(150);
    expect(calls.claims[3]!.at - calls.claims[2]!.at).toBeLessThan(100);
  });

  it('skips the pause for events past the delay', async () => {
    const events = Array.from({ length: 4 }, (_, index) => ({ ...event('orders/upsert', { id: index }), nextAttemptAt: Date.now() - 60_000 }));
    const { calls } = startBusyIntakeWorker(events, { batchSize: 2, shareWhileIntakeBusy: 0.25, maxDelayWhileIntakeBusyMs: 30_000 });

    await vi.waitFor(() => expect(calls.claims.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    const gap = calls.claims[1]!.at - calls.claims[0]!.at;
    // The events waited 60 s, past the 30 s delay, so the second claim follows without the 120 ms pause.
    expect(gap).toBeLessThan(100);
  });

  it('grows the batch while the intake is idle', async () => {
    const events = Array.from({ length: 29 }, (_, index) => event('orders/upsert', { id: index }));
    const { store, calls, remaining } = fakeStore({ events });
    startWorker(store, { batchSize: 2, maxBatchSize: 8 });

    await vi.waitFor(() => expect(remaining()).toBe(0));
    await vi.waitFor(() => expect(calls.claims.length).toBeGreaterThanOrEqual(6));
    // Each full round doubles the batch up to the maximum, and a short round starts over.
    expect(calls.claims.map((claim) => claim.limit).slice(0, 6)).toEqual([2, 4, 8, 8, 8, 2]);
    expect(calls.claims.map((claim) => claim.returned).slice(0, 5)).toEqual([2, 4, 8, 8, 7]);
  });

  it('keeps the batch small while the intake is busy', async () => {
    const events = Array.from({ length: 8 }, (_, index) => event('orders/upsert', { id: index }));
    const started: { worker?: WebhookWorker } = {};
    const { store, calls, remaining } = fakeStore({ events, onClaim: () => started.worker?.intakeStored() });
    started.worker = startWorker(store, { batchSize: 2, maxBatchSize: 8, shareWhileIntakeBusy: 1 }).worker;

    await vi.waitFor(() => expect(remaining()).toBe(0));
    expect(calls.claims.map((claim) => claim.limit).slice(0, 4)).toEqual([2, 2, 2, 2]);
  });
});
