import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAllRecords, watchRun } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { contactsWithSaoPauloDate, defaultMapping, fieldOf, hubspotManifest, saoPauloDate, startConnectedPlatform, type MappingTestSetup } from './support.js';

const BASE = '/v1/integrations/hubspot/field-mappings';
const CONTACTS = 30;
/** 01:30 UTC is still the previous day in São Paulo (UTC-3), so a UTC date would differ. */
const LATE_NIGHT = '2024-03-10T01:30:00.000Z';

forEachDatabase((database) => {
  describe('field mapping preview, catalogue and sync', () => {
    let setup: MappingTestSetup;
    let lateNightId: string;

    beforeAll(async () => {
      setup = await startConnectedPlatform(database, CONTACTS);
      lateNightId = setup.simulator.store.add('contacts', { firstname: 'Noemi', lastname: 'Tarde', email: 'noemi@example.com', createdate: LATE_NIGHT }).id;
    }, 60_000);

    afterAll(async () => {
      await setup?.close();
    });

    const call = (method: string, path: string, body?: unknown) => setup.test.call(method, path, body);
    const createdate = (externalId: string) => setup.simulator.store.get('contacts', externalId)?.properties.createdate as string;

    async function syncContacts() {
      const started = await call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      const watch = await watchRun(setup.test, 'hubspot');
      expect(watch.final.lastRun.status).toBe('succeeded');
      return watch.final.lastRun;
    }

    it('preview before sync reads provider', async () => {
      const { status, body } = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: contactsWithSaoPauloDate(), limit: 5 });
      const expectedIds = setup.simulator.store.list('contacts').slice(0, 5).map((record) => record.id);

      expect(status).toBe(200);
      expect(body).toMatchObject({ object: 'contacts', canonicalObject: 'contact', sampleSource: 'provider' });
      expect(body.samples.map((sample: any) => sample.externalId)).toEqual(expectedIds);
      for (const sample of body.samples) {
        expect(sample.source.id).toBe(sample.externalId);
        expect(sample.draft.birthDate).toBe(saoPauloDate(createdate(sample.externalId)));
        expect(sample.current.birthDate).toBeUndefined();
        expect(sample.draft.fullName).toBe(sample.current.fullName);
        expect(sample.changedFields).toEqual(['birthDate']);
        expect(sample.errors).toEqual([]);
      }
      expect(await readAllRecords(setup.test, 'hubspot', 'contact')).toEqual([]);
    });

    it('catalog before sync has schema fields', async () => {
      const { status, body } = await call('GET', `${BASE}/contacts/catalog`);

      expect(status).toBe(200);
      expect(body.sampledRecords).toBe(0);
      expect(body.providerFields.length).toBeGreaterThan(0);
      expect(body.providerFields.every((field: any) => field.source === 'schema')).toBe(true);
    });

    it('preview on stored records shows changes', async () => {
      await syncContacts();
      const { status, body } = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: contactsWithSaoPauloDate(), limit: 100 });

      expect(status).toBe(200);
      expect(body.sampleSource).toBe('records');
      expect(body.samples).toHaveLength(CONTACTS + 1);
      for (const sample of body.samples) {
        expect(sample.draft.birthDate).toBe(saoPauloDate(createdate(sample.externalId)));
        expect(sample.changedFields).toEqual(['birthDate']);
        expect(sample.current.email).toBe(sample.draft.email);
      }
      const lateNight = body.samples.find((sample: any) => sample.externalId === lateNightId);
      expect(lateNight.source.properties.createdate).toBe(LATE_NIGHT);
      expect(lateNight.draft.birthDate).toBe('2024-03-09');
    });

    it('preview limit picks newest records', async () => {
      const { body } = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: contactsWithSaoPauloDate() });
      // GET /v1/records lists in creation order, so its last 20 reversed are the newest first.
      const stored = await readAllRecords(setup.test, 'hubspot', 'contact');

      expect(body.samples).toHaveLength(20);
      expect(body.samples.map((sample: any) => sample.externalId)).toEqual(stored.slice(-20).reverse().map((record) => record.externalId));
    });

    it('preview reports field errors', async () => {
      const draft = defaultMapping('contacts');
      draft.fields.push({ target: 'birthDate', source: 'properties.email', transforms: [{ type: 'date', from: 'iso8601', to: 'date' }] });
      const { status, body } = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: draft, limit: 100 });

      expect(status).toBe(200);
      const withEmail = body.samples.filter((sample: any) => sample.source.properties.email !== null);
      expect(withEmail.length).toBeGreaterThan(0);
      for (const sample of withEmail) {
        expect(sample.errors).toEqual([{ field: 'birthDate', code: 'DATE_INVALID', message: expect.stringContaining(sample.source.properties.email.slice(0, 20)) }]);
        expect(sample.draft.birthDate).toBeNull();
        expect(sample.draft.fullName).toBe(sample.current.fullName);
      }
    });

    it('preview rejects bad requests', async () => {
      const invalid = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: { fields: [{ target: 'nickname', source: 'properties.firstname' }] } });
      const unknown = await call('POST', `${BASE}/preview`, { object: 'tickets', definition: contactsWithSaoPauloDate() });
      const tooMany = await call('POST', `${BASE}/preview`, { object: 'contacts', definition: contactsWithSaoPauloDate(), limit: 101 });
      const noObject = await call('POST', `${BASE}/preview`, { definition: contactsWithSaoPauloDate() });

      expect(invalid.status).toBe(422);
      expect(invalid.body.problems.map((problem: any) => problem.path)).toEqual(['/fields/0/target', '/fields']);
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toContain('contacts, companies, deals');
      expect(tooMany.status).toBe(400);
      expect(fieldOf(tooMany.body)).toBe('limit');
      expect(noObject.status).toBe(400);
      expect(fieldOf(noObject.body)).toBe('object');
    });

    it('saved version applies to next sync', async () => {
      const saved = await call('PUT', `${BASE}/contacts`, { definition: contactsWithSaoPauloDate(), comment: 'Birth date in São Paulo' });
      expect(saved.status).toBe(201);

      const run = await syncContacts();
      const records = await readAllRecords(setup.test, 'hubspot', 'contact');

      expect(run.counts.updated).toBe(CONTACTS + 1);
      expect(records).toHaveLength(CONTACTS + 1);
      for (const record of records) {
        expect(record.data.birthDate, record.externalId).toBe(saoPauloDate(createdate(record.externalId)));
      }
      expect(records.find((record) => record.externalId === lateNightId)?.data.birthDate).toBe('2024-03-09');
    });

    it('catalog lists schema and seen fields', async () => {
      const { store, admin } = setup.test.platform;
      await store.records.upsertPage({
        workspaceId: admin.workspaceId,
        connectionId: setup.connectionId,
        object: 'contact',
        sourceObject: 'contacts',
        rows: [
          {
            externalId: '990001',
            data: { fullName: 'Campos Extras' },
            raw: { id: '990001', properties: { firstname: 'Campos', cpf: '12345678909', score: 7 }, associations: { companies: [{ id: '55', label: 'primary' }] }, tags: ['vip'] },
            deleted: false,
          },
        ],
      });
      const { status, body } = await call('GET', `${BASE}/contacts/catalog`);
      const provider = (path: string) => body.providerFields.find((field: any) => field.path === path);
      const canonical = (name: string) => body.canonicalFields.find((field: any) => field.name === name);

      expect(status).toBe(200);
      expect(body.sampledRecords).toBe(CONTACTS + 2);
      expect(provider('properties.email')).toMatchObject({ type: 'string', source: 'schema', isArray: false });
      expect(provider('archived')).toMatchObject({ type: 'boolean', source: 'schema', isArray: false });
      expect(provider('createdAt')).toMatchObject({ type: 'string', source: 'schema', format: 'date-time' });
      expect(provider('properties.cpf')).toEqual({ path: 'properties.cpf', type: 'string', source: 'seen', isArray: false });
      expect(provider('properties.score')).toEqual({ path: 'properties.score', type: 'number', source: 'seen', isArray: false });
      expect(provider('associations.companies')).toEqual({ path: 'associations.companies', type: 'array', source: 'seen', isArray: true });
      expect(provider('associations.companies[].id')).toEqual({ path: 'associations.companies[].id', type: 'string', source: 'seen', isArray: true });
      expect(provider('tags')).toEqual({ path: 'tags', type: 'array', source: 'seen', isArray: true });
      const declared = Object.keys((hubspotManifest.objects.contacts?.recordSchema as any).properties.properties.properties).map((name) => `properties.${name}`);
      expect(body.providerFields.filter((field: any) => field.path.startsWith('properties.') && field.source === 'schema').map((field: any) => field.path)).toEqual(declared);

      expect(canonical('fullName')).toMatchObject({ type: 'string', required: true });
      expect(canonical('email')).toMatchObject({ type: 'string', required: false, format: 'email' });
      expect(canonical('address.city')).toMatchObject({ type: 'string', required: false });
      expect(canonical('tags')).toMatchObject({ type: 'array', items: 'string' });
      expect(canonical('lifecycleStage').enum).toContain('marketingQualifiedLead');
      expect(canonical('address')).toBeUndefined();

      expect(body.transforms.map((transform: any) => transform.name)).toEqual(['trim', 'case', 'convert', 'date', 'default', 'valueMap', 'concat', 'split', 'lookup']);
      const date = body.transforms.find((transform: any) => transform.name === 'date');
      expect(date.label).toEqual({ 'pt-BR': 'Formatar data', en: 'Format date' });
      expect(date.parameters.map((parameter: any) => [parameter.name, parameter.required])).toEqual([
        ['from', true],
        ['to', true],
        ['timeZone', false],
      ]);
      expect(date.parameters[1].options).toContain('localDateTime');
    });
  });
});
