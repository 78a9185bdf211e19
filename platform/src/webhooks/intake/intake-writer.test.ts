import { describe, expect, it } from 'vitest';

import { silentLogger } from '../../observability/index.js';
import type { InsertDeliveryResult, NewDelivery, Store } from '../../store/index.js';
import { IntakeWriter } from './intake-writer.js';

function delivery(key: string): NewDelivery {
  return {
    workspaceId: 'ws_1',
    connectionId: 'conn_1',
    connectorId: 'shop',
    receivedAt: 1_000,
    method: 'POST',
    contentType: 'json',
    headers: {},
    body: Buffer.from(key),
    sourceIp: null,
    events: [{ dedupKey: key, providerEventId: key, eventType: null, payload: { key }, occurredAt: null }],
  } as NewDelivery;
}

/** Creates a store whose insertDeliveries records each batch and waits for the test to settle it. */
function recordingStore() {
  const batches: Array<{ keys: string[]; settle(error?: Error): void }> = [];
  const store = {
    webhookEvents: {
      insertDeliveries(deliveries: NewDelivery[]): Promise<InsertDeliveryResult[]> {
        const keys = deliveries.map((item) => item.events[0]!.dedupKey);
        return new Promise((resolve, reject) => {
          batches.push({
            keys,
            settle: (error) => (error ? reject(error) : resolve(keys.map((key) => ({ deliveryId: `dlv_${key}`, inserted: [{ id: `whe_${key}`, dedupKey: key }], duplicates: [] })))),
          });
        });
      },
    },
  } as unknown as Store;
  return { store, batches };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('IntakeWriter', () => {
  it('commits writes of one turn together', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger });

    const writes = ['a', 'b', 'c'].map((key) => writer.write(delivery(key)));
    await nextTurn();
    expect(batches.map((batch) => batch.keys)).toEqual([['a', 'b', 'c']]);

    batches[0]!.settle();
    const results = await Promise.all(writes);
    expect(results.map((result) => result.inserted[0]?.id)).toEqual(['whe_a', 'whe_b', 'whe_c']);
  });

  it('groups writes made during a commit', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger });

    const first = writer.write(delivery('a'));
    await nextTurn();
    const later = [writer.write(delivery('b')), writer.write(delivery('c'))];
    await nextTurn();
    expect(batches).toHaveLength(1);

    batches[0]!.settle();
    await first;
    await nextTurn();
    expect(batches.map((batch) => batch.keys)).toEqual([['a'], ['b', 'c']]);

    batches[1]!.settle();
    expect((await Promise.all(later)).map((result) => result.deliveryId)).toEqual(['dlv_b', 'dlv_c']);
  });

  it('settles nothing before the commit', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger });
    let settled = false;

    void writer.write(delivery('a')).then(() => (settled = true));
    await nextTurn();
    await nextTurn();
    expect(settled).toBe(false);

    batches[0]!.settle();
    await nextTurn();
    expect(settled).toBe(true);
  });

  it('rejects every write of a failed batch', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger });

    const writes = ['a', 'b'].map((key) => writer.write(delivery(key)));
    await nextTurn();
    batches[0]!.settle(new Error('disk full'));

    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('runs concurrent commits up to the limit', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger, maxConcurrentCommits: 2 });

    const first = writer.write(delivery('a'));
    await nextTurn();
    const second = writer.write(delivery('b'));
    await nextTurn();
    const third = [writer.write(delivery('c')), writer.write(delivery('d'))];
    await nextTurn();
    expect(batches.map((batch) => batch.keys)).toEqual([['a'], ['b']]);

    batches[1]!.settle();
    expect((await second).deliveryId).toBe('dlv_b');
    await nextTurn();
    expect(batches.map((batch) => batch.keys)).toEqual([['a'], ['b'], ['c', 'd']]);

    batches[0]!.settle();
    batches[2]!.settle();
    expect((await first).deliveryId).toBe('dlv_a');
    expect((await Promise.all(third)).map((result) => result.deliveryId)).toEqual(['dlv_c', 'dlv_d']);
  });

  it('splits a backlog into batches of 200', async () => {
    const { store, batches } = recordingStore();
    const writer = new IntakeWriter({ store, logger: silentLogger });

    const writes = Array.from({ length: 201 }, (_, index) => writer.write(delivery(`k${index}`)));
    await nextTurn();
    expect(batches.map((batch) => batch.keys.length)).toEqual([200]);

    batches[0]!.settle();
    await nextTurn();
    expect(batches.map((batch) => batch.keys.length)).toEqual([200, 1]);
    batches[1]!.settle();
    expect(await Promise.all(writes)).toHaveLength(201);
  });
});
