import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator, type HubSpotRecord, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from './platform-harness.js';

const TOKEN = 'e2e-hubspot-token';
const CONTACTS = 25_000;
const TIED = 300;
const ARCHIVED = 250;

/** What the manifest's default contact mapping should make of a HubSpot contact, computed here independently. */
function expectedContact(record: HubSpotRecord) {
  const first = record.properties.firstname?.trim() ?? null;
  const last = record.properties.lastname?.trim() ?? null;
  const fullName = [first, last].filter((part) => part !== null && part !== '').join(' ');
  return {
    firstName: first,
    lastName: last,
    fullName: fullName === '' ? null : fullName,
    email: record.properties.email?.trim().toLowerCase() ?? null,
  };
}

/** Checks the platform stores exactly the simulator's contacts: same ids, content and deletions, no duplicates. */
function expectStoreMatchesSimulator(records: any[], simulator: HubSpotSimulator): void {
  const expected = simulator.store.list('contacts', { archived: 'all' });
  const known = new Set(expected.map((record) => record.id));
  const byExternalId = new Map(records.map((record) => [record.externalId, record]));

  // Contacts deleted outright at the provider stay stored, marked deleted.
  const vanished = records.filter((record) => !known.has(record.externalId));
  expect(vanished.filter((record) => !record.deleted)).toEqual([]);
  expect(records.length - vanished.length).toBe(expected.length);
  expect(byExternalId.size).toBe(records.length);

  const mismatches: string[] = [];
  for (const source of expected) {
    const stored = byExternalId.get(source.id);
    if (!stored) {
      mismatches.push(`${source.id}: missing`);
      continue;
    }
    const want = expectedContact(source);
    const got = { firstName: stored.data.firstName ?? null, lastName: stored.data.lastName ?? null, fullName: stored.data.fullName ?? null, email: stored.data.email ?? null };
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${source.id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    if (stored.deleted !== source.archived) mismatches.push(`${source.id}: deleted ${stored.deleted}, archived ${source.archived}`);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
}

forEachDatabase((database) => {
  describe('HubSpot contacts sync through the REST API', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({
        tokens: [TOKEN],
        seed: { seed: 7, contacts: { count: CONTACTS, tiedLastModifiedCount: TIED, archivedCount: ARCHIVED } },
        // The account's limits are off and the connection skips the manifest's budgets
        // (rateLimits "providerOnly"), so 25,000 records sync in seconds. The rate-limited
        // sync test runs with HubSpot's limits on both sides.
        rateLimit: false,
      });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions() });
    }, 120_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('connects with a wrong token refused', async () => {
      const { status, body } = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: 'not-the-token' },
        config: { baseUrl: simulator.url, rateLimits: 'providerOnly' },
      });

      expect(status).toBe(422);
      expect(body.code).toBe('CONNECTION_TEST_FAILED');
      expect(JSON.stringify(body)).not.toContain('not-the-token');
      const list = await test.call('GET', '/v1/integrations');
      expect(list.body.integrations.find((entry: any) => entry.id === 'hubspot').status).toBe('not_connected');
    });

    it('full sync matches the simulator with live progress', async () => {
      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, rateLimits: 'providerOnly' },
      });
      expect(connect.status).toBe(200);
      expect(connect.body.status).toBe('connected');
      expect(JSON.stringify(connect.body)).not.toContain(TOKEN);

      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      const again = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(again.body.id).toBe(started.body.id);
      expect(again.body.alreadyRunning).toBe(true);

      const watch = await watchRun(test, 'hubspot');
      const live = watch.snapshots.filter((snapshot) => snapshot.status === 'syncing' && snapshot.progress?.current > 0);
      expect(live.length).toBeGreaterThan(0);
      const sample = live[Math.floor(live.length / 2)];
      expect(sample.progress.total).toBeGreaterThanOrEqual(sample.progress.current);
      expect(sample.progress.percentage).toBeGreaterThanOrEqual(0);
      expect(sample.progress.percentage).toBeLessThan(100);
      expect(Date.parse(sample.eta)).toBeGreaterThan(0);

      expect(watch.final.lastRun.status).toBe('succeeded');
      // The store counts a record that arrives already archived as deleted, not inserted.
      expect(watch.final.lastRun.counts.inserted).toBe(CONTACTS);
      expect(watch.final.lastRun.counts.deleted).toBe(ARCHIVED);
      expectStoreMatchesSimulator(await readAllRecords(test, 'hubspot', 'contact'), simulator);

      const list = await test.call('GET', '/v1/integrations');
      const hubspot = list.body.integrations.find((entry: any) => entry.id === 'hubspot');
      expect(hubspot.status).toBe('connected');
      expect(hubspot.lastSync).not.toBeNull();
      expect(hubspot.health).toBe('healthy');
    }, 180_000);

    it('keeps accents and emoji byte for byte', async () => {
      const withEmoji = simulator.store.list('contacts').filter((record) => /\p{Extended_Pictographic}/u.test(record.properties.firstname ?? ''));
      const withAccent = simulator.store.list('contacts').filter((record) => /[ãçéíóúâêô]/i.test(record.properties.firstname ?? ''));
      expect(withEmoji.length).toBeGreaterThan(0);
      expect(withAccent.length).toBeGreaterThan(0);

      const records = await readAllRecords(test, 'hubspot', 'contact');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      for (const source of [...withEmoji.slice(0, 20), ...withAccent.slice(0, 20)]) {
        expect(byId.get(source.id)?.data.firstName).toBe(source.properties.firstname?.trim());
      }
    });

    // A restored (unarchived) contact is left out here because the simulator keeps its
    // last-modified value, so only a full sync reads it again. The next test covers that.
    it('incremental sync picks up changes, additions and archives', async () => {
      const active = simulator.store.list('contacts');
      const changed = active.slice(100, 160);
      const archived = active.slice(500, 510);

      // Half the changes land on one instant, so the tie-breaker on the id decides their order.
      simulator.setClock('2026-02-01T12:00:00.000Z');
      for (const record of changed.slice(0, 30)) simulator.store.update('contacts', record.id, { firstname: `Conceição ${record.id}` });
      simulator.setClock(null);
      for (const record of changed.slice(30)) simulator.store.update('contacts', record.id, { lastname: `Gonçalves 🚀 ${record.id}` });
      const added = Array.from({ length: 20 }, (_, index) => simulator.store.add('contacts', { firstname: `Ângela ${index}`, lastname: 'Nova', email: `angela.${index}@example.com.br` }));
      for (const record of archived) simulator.store.archive('contacts', record.id);

      simulator.requests.reset();
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      expect(started.status).toBe(202);
      const watch = await watchRun(test, 'hubspot');

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.mode).toBe('incremental');
      expect(watch.final.lastRun.counts.inserted).toBe(added.length);
      expectStoreMatchesSimulator(await readAllRecords(test, 'hubspot', 'contact'), simulator);

      const searches = simulator.requests.entries.filter((entry) => entry.path.endsWith('/search'));
      expect(searches.length).toBeGreaterThan(0);
    }, 180_000);

    it('full sync brings back a restored contact', async () => {
      const restored = simulator.store.list('contacts', { archived: true }).slice(0, 5);
      for (const record of restored) simulator.store.unarchive('contacts', record.id);

      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      const watch = await watchRun(test, 'hubspot');

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts.updated).toBe(restored.length);
      expectStoreMatchesSimulator(await readAllRecords(test, 'hubspot', 'contact'), simulator);
    }, 180_000);

    it('full sync marks vanished contacts deleted', async () => {
      const vanished = simulator.store.list('contacts').slice(2_000, 2_003);
      for (const record of vanished) simulator.store.delete('contacts', record.id);

      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      const watch = await watchRun(test, 'hubspot');

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts.deleted).toBe(vanished.length);
      const records = await readAllRecords(test, 'hubspot', 'contact');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      for (const record of vanished) {
        expect(byId.get(record.id)?.deleted).toBe(true);
        expect(byId.get(record.id)?.data.firstName).toBe(record.properties.firstname?.trim() ?? null);
      }
      const live = records.filter((record) => !record.deleted).length;
      expect(live).toBe(simulator.store.count('contacts'));
    }, 180_000);

    it('reads past the 10,000 search window', async () => {
      // 12,000 contacts changed at one instant: more than one search query can page
      // through, all tied on the cursor, so only the id tie-breaker can split them.
      const targets = simulator.store.list('contacts').slice(0, 12_000);
      // The instant must be later than the cursor the previous run saved, which is about now.
      simulator.setClock(Date.now() + 3_600_000);
      for (const record of targets) simulator.store.update('contacts', record.id, { jobtitle: `Analista ${record.id}` });
      simulator.setClock(null);

      await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'incremental' });
      const watch = await watchRun(test, 'hubspot');

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts.updated).toBe(targets.length);
      const records = await readAllRecords(test, 'hubspot', 'contact');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      const stale = targets.filter((record) => byId.get(record.id)?.data.jobTitle !== `Analista ${record.id}`);
      expect(stale.map((record) => record.id).slice(0, 5)).toEqual([]);
      expectStoreMatchesSimulator(records, simulator);
    }, 180_000);
  });
});
