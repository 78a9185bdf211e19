import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Store } from '../../../platform/src/store/index.js';
import { forEachDatabase } from '../../store/databases.js';
import { DeliveryLoad, type SentDelivery } from './delivery-load.js';
import { createRunId, expectedOrderData, FIXTURE_CONNECTOR_ID, writeFixtureConnector } from './fixture-connector.js';
import { findFreePort, PlatformProcess } from './platform-process.js';
import {
  countLockedEvents,
  countLumioEventsBySource,
  listEventsThroughApi,
  listRecordsThroughApi,
  OPEN_STATUSES,
  readDeliveryBodies,
  readRecords,
  readStoredEvents,
  waitForSettledEvents,
  type EventStatusCounts,
} from './stored-outcome.js';

const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;
const SECRET = 'crash-test-webhook-secret';
const KILLS = 3;
/** Load between a start and the next kill, in milliseconds, drawn at random in this range. */
const LOAD_BEFORE_KILL_MS: [number, number] = [1_200, 3_000];
/** Time the platform stays down before it is started again, in milliseconds. */
const DOWN_MS: [number, number] = [0, 400];
/** Load after the last restart, so deliveries retried across the last kill meet a running platform. */
const LOAD_AFTER_LAST_START_MS = 1_500;
/**
 * Claim time of the platform's webhook worker (LUMIO_WEBHOOK_LOCK_MS), short so that the
 * restarted worker takes over the killed worker's events within the test's wait.
 */
const LOCK_MS = 3_000;

interface KillRecord {
  afterMs: number;
  inFlight: number;
  acknowledgedBefore: number;
  /** Events left `processing` by the killed worker. */
  lockedEvents: number;
}

function randomBetween([low, high]: [number, number]): number {
  return Math.round(low + Math.random() * (high - low));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

forEachDatabase((database) => {
  // The PostgreSQL copy runs as production does, with Redis for the shared services and the wake channel.
  const withRedis = database.kind === 'postgres';
  const skipped = withRedis && !REDIS_URL;
  const name = skipped ? 'webhook crash recovery (skipped: set LUMIO_TEST_REDIS_URL to run)' : 'webhook crash recovery';

  describe.skipIf(skipped)(name, () => {
    const runId = createRunId();
    let folder: string;
    let store: Store;
    let platform: PlatformProcess | undefined;
    let load: DeliveryLoad | undefined;
    let connectionId: string;
    const kills: KillRecord[] = [];
    let finalCounts: EventStatusCounts = {};
    let acknowledged: SentDelivery[] = [];

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'lumio-webhook-crash-'));
      const connectorsDir = path.join(folder, 'connectors');
      await writeFixtureConnector(connectorsDir);
      // Opening the store first applies the migrations, so the test reads the same schema the platform writes.
      store = await database.openStore();

      const { dataDir, databaseUrl } = database.storeOptions();
      platform = new PlatformProcess({
        port: await findFreePort(),
        dataDir,
        databaseUrl,
        redisUrl: withRedis ? REDIS_URL : undefined,
        connectorsDir,
        env: { LUMIO_WEBHOOK_RATE_PER_SECOND: '100000', LUMIO_WEBHOOK_LOCK_MS: String(LOCK_MS) },
      });
      await platform.start();

      const connect = await platform.call('POST', `/v1/integrations/${FIXTURE_CONNECTOR_ID}/connect`, { credentials: { apiKey: 'unused' }, config: {}, webhookSecrets: [SECRET], test: false });
      expect(connect.status, JSON.stringify(connect.body)).toBe(200);
      connectionId = connect.body.connectionId;

      load = new DeliveryLoad({ url: connect.body.webhookUrl, secret: SECRET, runId, concurrency: 6, maxDeliveries: 4_000, pauseMs: 15, retryDelayMs: 100 });
      const started = Date.now();
      load.start();

      for (let kill = 0; kill < KILLS; kill += 1) {
        await sleep(randomBetween(LOAD_BEFORE_KILL_MS));
        const inFlight = load.inFlight;
        const acknowledgedBefore = load.stats.acknowledged;
        await platform.kill();

        // The killed worker's claims stay locked for LOCK_MS; the restarted worker then takes them over.
        const lockedEvents = await countLockedEvents(store.knex, connectionId);
        kills.push({ afterMs: Date.now() - started, inFlight, acknowledgedBefore, lockedEvents });

        await sleep(randomBetween(DOWN_MS));
        await platform.start();
      }

      await sleep(LOAD_AFTER_LAST_START_MS);
      await load.finish(20_000);
      finalCounts = await waitForSettledEvents(store.knex, connectionId, 30_000);
      acknowledged = load.list('acknowledged', 'acknowledgedAsDuplicate');
    }, 150_000);

    afterAll(async () => {
      await load?.finish(0);
      await platform?.stop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it('kills the platform under load', () => {
      const context = JSON.stringify({ kills, stats: load?.stats });
      expect(kills, context).toHaveLength(KILLS);
      // Deliveries were acknowledged between every two kills, so each kill met a running load.
      kills.forEach((kill, index) => expect(kill.acknowledgedBefore, context).toBeGreaterThan(index === 0 ? 0 : kills[index - 1]!.acknowledgedBefore));
      // Deliveries sent while the platform was down were refused and retried.
      expect(load?.stats.networkErrors, context).toBeGreaterThan(0);
      expect(acknowledged.length, context).toBeGreaterThan(KILLS * 100);
    });

    it('acknowledges every delivery sent', () => {
      const unsettled = load?.list('pending', 'abandoned', 'unexpected').map((delivery) => ({ eventId: delivery.eventId, outcome: delivery.outcome, attempts: delivery.attempts }));
      expect(unsettled).toEqual([]);
      expect(acknowledged.length).toBe(load?.stats.sent);
    });

    it('leaves no event open or dead', () => {
      for (const status of [...OPEN_STATUSES, 'dead', 'ignored']) expect(finalCounts[status] ?? 0, `${status} events: ${JSON.stringify(finalCounts)}`).toBe(0);
      expect(finalCounts.processed).toBe(acknowledged.length);
    });

    it('stores each acknowledged event once', async () => {
      const events = await readStoredEvents(store.knex, connectionId);
      const copies = new Map<string | null, number>();
      for (const event of events) copies.set(event.providerEventId, (copies.get(event.providerEventId) ?? 0) + 1);

      const missing = acknowledged.filter((delivery) => copies.get(delivery.eventId) === undefined).map((delivery) => delivery.eventId);
      const repeated = [...copies].filter(([, count]) => count > 1);
      const neverSent = [...copies.keys()].filter((eventId) => eventId === null || !load?.deliveries.has(eventId));
      expect(missing).toEqual([]);
      expect(repeated).toEqual([]);
      expect(neverSent).toEqual([]);
      expect(events.every((event) => event.status === 'processed')).toBe(true);
    });

    it('stores the exact bytes of each delivery', async () => {
      const events = await readStoredEvents(store.knex, connectionId);
      const bodies = await readDeliveryBodies(store.knex, connectionId);

      // One event per delivery, so a delivery row without its event would be a stray write.
      expect(bodies.size).toBe(events.length);
      const mismatched = events.filter((event) => {
        const sent = event.providerEventId === null ? undefined : load?.deliveries.get(event.providerEventId);
        return !sent || !bodies.get(event.deliveryId)?.equals(Buffer.from(sent.body));
      });
      expect(mismatched.map((event) => event.providerEventId)).toEqual([]);
    });

    it('emits one webhook.received event per event', async () => {
      const events = await readStoredEvents(store.knex, connectionId);
      const received = await countLumioEventsBySource(store.knex, connectionId, 'webhook.received');

      const wrongCount = events.filter((event) => received.get(event.id) !== 1).map((event) => ({ id: event.id, rows: received.get(event.id) ?? 0 }));
      expect(wrongCount).toEqual([]);
      expect([...received.keys()].sort()).toEqual(events.map((event) => event.id).sort());
    });

    it('stores each order as a record', async () => {
      const records = await readRecords(store.knex, connectionId, 'order');
      const byExternalId = new Map(records.map((record) => [record.externalId, record]));

      expect(records).toHaveLength(acknowledged.length);
      const wrong = acknowledged.filter((delivery) => {
        const record = byExternalId.get(delivery.order.id);
        return !record || record.deleted || !isDeepStrictEqual(record.raw, delivery.order) || !isDeepStrictEqual(record.data, expectedOrderData(delivery.order));
      });
      expect(wrong.map((delivery) => delivery.order.id)).toEqual([]);
    });

    it('shows the same events and records through the API', async () => {
      const events = await listEventsThroughApi(platform!, FIXTURE_CONNECTOR_ID);
      expect(events).toHaveLength(acknowledged.length);
      expect(events.filter((event) => event.status !== 'processed')).toEqual([]);
      expect(events.map((event) => event.providerEventId).sort()).toEqual(acknowledged.map((delivery) => delivery.eventId).sort());

      const records = await listRecordsThroughApi(platform!, FIXTURE_CONNECTOR_ID, 'order');
      const byExternalId = new Map(records.map((record) => [record.externalId, record]));
      expect(records).toHaveLength(acknowledged.length);
      const wrong = acknowledged.filter((delivery) => !isDeepStrictEqual(byExternalId.get(delivery.order.id)?.data, expectedOrderData(delivery.order)));
      expect(wrong.map((delivery) => delivery.order.id)).toEqual([]);
    });
  });
});
