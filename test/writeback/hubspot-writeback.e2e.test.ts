import type { FieldMapping } from '@lumio/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';

const TOKEN = 'writeback-e2e-token';
const CONTACTS = 1_000;

function contactData(index: number) {
  return {
    firstName: `Nome${index}`,
    lastName: `Sobrenome${index}`,
    fullName: `Nome${index} Sobrenome${index}`,
    email: `contato${index}@example.com`,
    jobTitle: 'Gerente de Compras',
    address: { city: 'Recife', country: 'BR' },
  };
}

/** Polls the writes of a batch until none is pending and returns its counts. */
async function waitForBatch(test: TestPlatform, batchId: string, timeoutMs = 120_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, body } = await test.call('GET', `/v1/records/writes?batch=${batchId}&limit=1`);
    if (status !== 200) throw new Error(`GET /v1/records/writes answered ${status}: ${JSON.stringify(body)}`);
    if (body.counts.pending === 0) return body.counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Batch ${batchId} still had pending writes after ${timeoutMs} ms.`);
}

/** Reads every write of a batch, following the cursor. */
async function readBatch(test: TestPlatform, batchId: string): Promise<any[]> {
  const writes: any[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ batch: batchId, limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const { body } = await test.call('GET', `/v1/records/writes?${query}`);
    writes.push(...body.writes);
    cursor = body.nextCursor;
  } while (cursor);
  return writes;
}

/** Writes one record and waits for its outcome. */
async function writeOne(test: TestPlatform, body: Record<string, unknown>): Promise<any> {
  const accepted = await test.call('POST', '/v1/records', { integration: 'hubspot', object: 'contact', ...body });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  await waitForBatch(test, accepted.body.batchId);
  return (await test.call('GET', `/v1/records/writes/${accepted.body.id}`)).body;
}

forEachDatabase((database) => {
  describe('HubSpot write-back through the REST API', () => {
    let simulator: HubSpotSimulator;
    let proxy: FaultProxy;
    let test: TestPlatform;

    const countWrites = async () => Number((await test.platform.store.knex('record_writes').count({ count: '*' }).first())?.count ?? 0);
    const upsertRequests = () => simulator.requests.entries.filter((entry) => entry.path.endsWith('/batch/upsert')).length;

    beforeAll(async () => {
      simulator = createHubSpotSimulator({ tokens: [TOKEN] });
      await simulator.start();
      proxy = await startFaultProxy(simulator.url as string);
      test = await startTestPlatform({ store: database.storeOptions() });

      const connect = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: proxy.url } });
      expect(connect.status, JSON.stringify(connect.body)).toBe(200);
    }, 120_000);

    afterAll(async () => {
      await test?.close();
      await proxy?.close();
      await simulator?.close();
    });

    it('rejects bad input and writes nothing', async () => {
      const writesBefore = await countWrites();
      const upsertsBefore = upsertRequests();
      const valid = contactData(-1);

      const cases: [Record<string, unknown>, string, string][] = [
        [{ integration: 'hubspot', object: 'contact', data: { ...valid, whatsap: '+5511987654321' } }, 'data.whatsap', 'whatsapp'],
        [{ integration: 'hubspot', object: 'contact', data: { ...valid, email: 42 } }, 'data.email', 'string'],
        [{ integration: 'hubspot', object: 'contact', data: { email: 'sem.nome@example.com' } }, 'data.fullName', 'required'],
        [{ integration: 'hubspt', object: 'contact', data: valid }, 'integration', 'hubspt'],
        [{ integration: 'hubspot', object: 'contacts', data: valid }, 'object', 'contact'],
        [{ integration: 'hubspot', object: 'contact', data: { fullName: 'Sem Email' } }, 'data.email', 'HubSpot finds the contact by it'],
        [{ integration: 'hubspot', object: 'contact', data: { ...valid, address: { country: 'ZZ' } } }, 'data.address.country', '"ZZ"'],
      ];
      for (const [body, field, hint] of cases) {
        const { status, body: problem } = await test.call('POST', '/v1/records', body);
        expect(status, JSON.stringify(problem)).toBe(400);
        expect(problem.field).toBe(field);
        expect(problem.detail).toContain(hint);
      }

      const batch = await test.call('POST', '/v1/records/batch', {
        integration: 'hubspot',
        object: 'contact',
        records: [{ data: contactData(-2) }, { data: { ...contactData(-3), email: 'not-an-email' } }, { data: { ...contactData(-4), lastName: 7 } }],
      });
      expect(batch.status).toBe(400);
      expect(batch.body.field).toBe('records[1].data.email');
      expect(batch.body.problems.map((problem: any) => problem.field)).toEqual(['records[1].data.email', 'records[2].data.lastName']);

      expect(await countWrites()).toBe(writesBefore);
      expect(upsertRequests()).toBe(upsertsBefore);
      expect(simulator.store.count('contacts')).toBe(0);
    });

    it('writes 1,000 contacts exactly once despite 502s', async () => {
      proxy.failEvery = 3;
      const records = Array.from({ length: CONTACTS }, (_, index) => ({ data: contactData(index) }));
      const accepted = await test.call('POST', '/v1/records/batch', { integration: 'hubspot', object: 'contact', records });
      expect(accepted.status, JSON.stringify(accepted.body).slice(0, 500)).toBe(202);
      expect(accepted.body.count).toBe(CONTACTS);
      expect(accepted.body.writes[0]).toMatchObject({ status: 'pending', operation: 'create', externalId: null });
      // HubSpot derives the full name from the first and last names, so it is not written.
      expect(accepted.body.writes[0].warnings.map((warning: any) => warning.field)).toEqual(['fullName']);

      const counts = await waitForBatch(test, accepted.body.batchId);
      proxy.failEvery = 0;
      expect(counts).toEqual({ pending: 0, succeeded: CONTACTS, failed: 0, skipped: 0 });

      // Both kinds of failure happened, so a retry resent a batch the simulator had already applied.
      expect(proxy.stats.failedAfterForwarding).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.failedBeforeForwarding).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.upserts).toBeGreaterThanOrEqual(CONTACTS / 100 + proxy.stats.failedAfterForwarding + proxy.stats.failedBeforeForwarding);

      const byEmail = new Map<string, string[]>();
      for (const contact of simulator.store.list('contacts')) {
        const email = contact.properties.email?.toLowerCase() ?? '';
        byEmail.set(email, [...(byEmail.get(email) ?? []), contact.id]);
      }
      for (let index = 0; index < CONTACTS; index += 1) expect(byEmail.get(`contato${index}@example.com`)?.length, `contato${index}`).toBe(1);
      expect(simulator.store.count('contacts')).toBe(CONTACTS);

      const sample = simulator.store.list('contacts').find((contact) => contact.properties.email === 'contato7@example.com');
      expect(sample?.properties).toMatchObject({ firstname: 'Nome7', lastname: 'Sobrenome7', jobtitle: 'Gerente de Compras', city: 'Recife', country: 'Brasil' });

      const writes = await readBatch(test, accepted.body.batchId);
      const stored = await readAllRecords(test, 'hubspot', 'contact', false);
      const storedById = new Map(stored.map((record) => [record.id, record]));
      expect(stored).toHaveLength(CONTACTS);
      for (const write of writes) {
        const hubspotId = byEmail.get(write.data.email)?.[0];
        expect(write.externalId, write.data.email).toBe(hubspotId);
        expect(storedById.get(write.recordId)?.externalId).toBe(hubspotId);
        expect(write.attempts).toBeGreaterThanOrEqual(1);
      }
      expect(storedById.get(writes[7].recordId)?.data).toMatchObject({ email: 'contato7@example.com', fullName: 'Nome7 Sobrenome7', address: { city: 'Recife', country: 'BR' } });
    }, 180_000);

    it('leaves a later full sync with nothing to change', async () => {
      const started = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const watch = await watchRun(test, 'hubspot');

      expect(watch.final.lastRun.status).toBe('succeeded');
      expect(watch.final.lastRun.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: CONTACTS, deleted: 0 });
    }, 120_000);

    it('updates a record by its Lumio id', async () => {
      const [record] = (await readAllRecords(test, 'hubspot', 'contact', false)).filter((candidate) => candidate.data.email === 'contato11@example.com');

      const write = await writeOne(test, { id: record.id, data: { jobTitle: 'Diretora', address: { city: 'Olinda' } } });

      expect(write).toMatchObject({ status: 'succeeded', operation: 'update', recordId: record.id, externalId: record.externalId });
      expect(simulator.store.get('contacts', record.externalId)?.properties).toMatchObject({ jobtitle: 'Diretora', city: 'Olinda', country: 'Brasil', email: 'contato11@example.com' });
      const updated = (await readAllRecords(test, 'hubspot', 'contact', false)).find((candidate) => candidate.id === record.id);
      expect(updated.data).toMatchObject({ jobTitle: 'Diretora', address: { city: 'Olinda', country: 'BR' } });

      const change = await test.call('POST', '/v1/records', { integration: 'hubspot', object: 'contact', id: record.id, data: { email: 'outro@example.com' } });
      expect(change.status).toBe(400);
      expect(change.body.field).toBe('data.email');
    });

    it('applies each conflict policy', async () => {
      const settings = await test.call('GET', '/v1/integrations/hubspot/writeback');
      expect(settings.body).toMatchObject({ conflictPolicy: 'newest_wins', matchOn: { contact: 'email' }, updatedAt: null });
      const bad = await test.call('PUT', '/v1/integrations/hubspot/writeback', { conflictPolicy: 'hubspot_wins' });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('conflictPolicy');

      const policy = async (conflictPolicy: string) => {
        const saved = await test.call('PUT', '/v1/integrations/hubspot/writeback', { conflictPolicy });
        expect(saved.status).toBe(200);
        expect(saved.body.conflictPolicy).toBe(conflictPolicy);
      };
      let serial = 0;
      // Created with a change time well in the past, so that updates dated before the provider's
      // change still come after the creation and are not skipped as superseded.
      const createdAt = new Date(Date.now() - 3_600_000).toISOString();
      const freshContact = async () => {
        serial += 1;
        const created = await writeOne(test, { changedAt: createdAt, data: { fullName: `Conflito ${serial}`, firstName: 'Conflito', email: `conflito${serial}@example.com`, jobTitle: 'Inicial' } });
        expect(created.status).toBe('succeeded');
        return created;
      };
      const changeAtProvider = async (externalId: string) => {
        // The simulator's clock has millisecond steps; waiting keeps the provider change strictly later.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return simulator.store.update('contacts', externalId, { jobtitle: 'Mudado no HubSpot' });
      };
      const title = (externalId: string) => simulator.store.get('contacts', externalId)?.properties.jobtitle;

      await policy('provider_wins');
      const unchanged = await freshContact();
      const plain = await writeOne(test, { id: unchanged.recordId, data: { jobTitle: 'Sem conflito' } });
      expect(plain.status).toBe('succeeded');
      expect(title(unchanged.externalId)).toBe('Sem conflito');

      const contested = await freshContact();
      await changeAtProvider(contested.externalId);
      const keptByProvider = await writeOne(test, { id: contested.recordId, data: { jobTitle: 'Mudado no Lumio' } });
      expect(keptByProvider.status).toBe('skipped');
      expect(keptByProvider.reason.code).toBe('CONFLICT_PROVIDER_CHANGED');
      expect(keptByProvider.error).toBeNull();
      expect(title(contested.externalId)).toBe('Mudado no HubSpot');
      const refreshed = (await readAllRecords(test, 'hubspot', 'contact', false)).find((candidate) => candidate.id === contested.recordId);
      expect(refreshed.data.jobTitle).toBe('Mudado no HubSpot');

      await policy('newest_wins');
      const older = await freshContact();
      const providerChange = await changeAtProvider(older.externalId);
      const before = new Date(Date.parse(providerChange.updatedAt) - 60_000).toISOString();
      const stale = await writeOne(test, { id: older.recordId, changedAt: before, data: { jobTitle: 'Antigo no Lumio' } });
      expect(stale.status).toBe('skipped');
      expect(stale.reason.code).toBe('CONFLICT_PROVIDER_NEWER');
      expect(title(older.externalId)).toBe('Mudado no HubSpot');
      const newer = await writeOne(test, { id: older.recordId, data: { jobTitle: 'Novo no Lumio' } });
      expect(newer.status).toBe('succeeded');
      expect(title(older.externalId)).toBe('Novo no Lumio');

      await policy('lumio_wins');
      const forced = await freshContact();
      const forcedChange = await changeAtProvider(forced.externalId);
      const overwrite = await writeOne(test, { id: forced.recordId, changedAt: new Date(Date.parse(forcedChange.updatedAt) - 60_000).toISOString(), data: { jobTitle: 'Lumio manda' } });
      expect(overwrite.status).toBe('succeeded');
      expect(title(forced.externalId)).toBe('Lumio manda');

      // A change made in Lumio before the one already written never overwrites it, whatever the policy.
      const outdated = await writeOne(test, { id: forced.recordId, changedAt: new Date(Date.parse(createdAt) + 60_000).toISOString(), data: { jobTitle: 'Atrasado' } });
      expect(outdated.status).toBe('skipped');
      expect(outdated.reason.code).toBe('WRITE_SUPERSEDED');
      expect(title(forced.externalId)).toBe('Lumio manda');

      await policy('newest_wins');
    }, 60_000);

    it('reports records HubSpot rejects', async () => {
      const connectionId = (await test.call('GET', '/v1/integrations/hubspot')).body.connectionId as string;
      const active = await test.platform.store.mappings.activeFor(connectionId, 'contacts');
      const original = active?.definition as FieldMapping;
      // A mapping version that writes job titles to a property HubSpot does not have.
      const broken: FieldMapping = { ...original, fields: original.fields.map((rule) => (rule.target === 'jobTitle' ? { target: 'jobTitle', source: 'properties.job_title_x' } : rule)) };
      await test.platform.store.mappings.createVersion({ workspaceId: active!.workspaceId, connectionId, object: 'contacts', canonicalObject: 'contact', definition: broken });

      try {
        const records = [0, 1, 2, 3].map((index) => {
          const data: Record<string, unknown> = { fullName: `Rejeitado ${index}`, email: `rejeitado${index}@example.com` };
          if (index % 2 === 1) data.jobTitle = 'Cargo';
          return { data };
        });
        const accepted = await test.call('POST', '/v1/records/batch', { integration: 'hubspot', object: 'contact', records });
        expect(accepted.status).toBe(202);
        expect(await waitForBatch(test, accepted.body.batchId)).toMatchObject({ succeeded: 2, failed: 2 });

        const writes = await readBatch(test, accepted.body.batchId);
        expect(writes.map((write) => write.status)).toEqual(['succeeded', 'failed', 'succeeded', 'failed']);
        for (const write of writes.filter((candidate) => candidate.status === 'failed')) {
          expect(write.error.code).toBe('PROVIDER_RECORD_REJECTED');
          expect(write.error.message).toContain('job_title_x');
          expect(write.error.details.providerStatus).toBe(400);
        }
        expect(simulator.store.list('contacts').filter((contact) => contact.properties.email?.startsWith('rejeitado')).map((contact) => contact.properties.email).sort()).toEqual([
          'rejeitado0@example.com',
          'rejeitado2@example.com',
        ]);
      } finally {
        await test.platform.store.mappings.createVersion({ workspaceId: active!.workspaceId, connectionId, object: 'contacts', canonicalObject: 'contact', definition: original });
      }
    });

    it('reports per-record errors of a 207 response', async () => {
      proxy.rejectMarker = '+recusar';
      try {
        const records = ['aceito1', 'contato+recusar', 'aceito2'].map((local) => ({ data: { fullName: local, email: `${local}@example.com` } }));
        const accepted = await test.call('POST', '/v1/records/batch', { integration: 'hubspot', object: 'contact', records });
        expect(accepted.status).toBe(202);
        await waitForBatch(test, accepted.body.batchId);

        const writes = await readBatch(test, accepted.body.batchId);
        expect(writes.map((write) => write.status)).toEqual(['succeeded', 'failed', 'succeeded']);
        expect(writes[1].error).toMatchObject({ code: 'PROVIDER_RECORD_REJECTED', message: 'HubSpot rejected this record: Email address contato+recusar@example.com is not accepted by this account.' });
        expect(writes[1].error.details.providerErrors[0].context.email).toEqual(['contato+recusar@example.com']);
        expect(proxy.stats.rejectedInputs).toBe(1);
      } finally {
        proxy.rejectMarker = undefined;
      }
    });

    it('returns 404 for unknown writes and batches', async () => {
      expect((await test.call('GET', '/v1/records/writes/wr_unknown')).status).toBe(404);
      expect((await test.call('GET', '/v1/records/writes?batch=wrb_unknown')).status).toBe(404);
      expect((await test.call('GET', '/v1/records/writes')).body.field).toBe('batch');
    });
  });
});
