import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { forEachDatabase } from '../store/databases.js';
import { contactsWithSaoPauloDate, defaultMapping, fieldOf, startConnectedPlatform, type MappingTestSetup } from './support.js';

const BASE = '/v1/integrations/hubspot/field-mappings';

forEachDatabase((database) => {
  describe('field mapping versions API', () => {
    let setup: MappingTestSetup;
    let otherKey: string;

    beforeAll(async () => {
      setup = await startConnectedPlatform(database, 5);
      const other = await setup.test.platform.store.workspaces.create({ name: 'Another customer' });
      otherKey = (await setup.test.platform.store.apiKeys.create(other.id, 'other', ['integrations.read', 'integrations.write'])).key;
    }, 60_000);

    afterAll(async () => {
      await setup?.close();
    });

    const call = (method: string, path: string, body?: unknown) => setup.test.call(method, path, body);
    const activeVersion = async () => (await call('GET', `${BASE}/contacts`)).body.version as number;

    it('list shows manifest defaults', async () => {
      const { status, body } = await call('GET', BASE);

      expect(status).toBe(200);
      expect(body.connectionId).toBe(setup.connectionId);
      expect(body.objects.map((entry: any) => entry.object)).toEqual(['contacts', 'companies', 'deals']);
      const contacts = body.objects[0];
      expect(contacts).toMatchObject({ object: 'contacts', canonicalObject: 'contact', version: 1, isDefault: true });
      expect(contacts.active).toMatchObject({ object: 'contacts', version: 1, active: true, createdBy: 'system' });
      expect(contacts.active.definition).toEqual(defaultMapping('contacts'));
    });

    it('get returns the active version', async () => {
      const { status, body } = await call('GET', `${BASE}/deals`);

      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['active', 'canonicalObject', 'comment', 'createdAt', 'createdBy', 'definition', 'id', 'object', 'version']);
      expect(body).toMatchObject({ object: 'deals', canonicalObject: 'deal', version: 1, active: true });
      expect(body.definition).toEqual(defaultMapping('deals'));
      expect(Date.parse(body.createdAt)).toBeGreaterThan(0);
    });

    it('put adds an active version', async () => {
      const definition = contactsWithSaoPauloDate();
      const saved = await call('PUT', `${BASE}/contacts`, { definition, comment: 'Add birth date' });
      const versions = await call('GET', `${BASE}/contacts/versions`);
      const list = await call('GET', BASE);

      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ object: 'contacts', canonicalObject: 'contact', version: 2, active: true, comment: 'Add birth date' });
      const adminKey = await setup.test.platform.store.apiKeys.verify(setup.test.apiKey);
      expect(saved.body.createdBy).toBe(`key:${adminKey?.id}`);
      expect(saved.body.definition).toEqual(definition);
      expect(versions.body.versions.map((entry: any) => [entry.version, entry.active])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(list.body.objects[0]).toMatchObject({ version: 2, isDefault: false });
    });

    it('put fills in object names', async () => {
      const { fields } = contactsWithSaoPauloDate();
      const saved = await call('PUT', `${BASE}/contacts`, { definition: { fields } });

      expect(saved.status).toBe(201);
      expect(saved.body.version).toBe(3);
      expect(saved.body.definition).toEqual({ object: 'contacts', canonicalObject: 'contact', fields });
    });

    it('invalid definitions report each path', async () => {
      const base = defaultMapping('contacts');
      const withRule = (rule: unknown) => ({ ...base, fields: [...base.fields, rule] });
      const next = base.fields.length;
      const cases: [string, unknown, string][] = [
        ['unknown transform', withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'toDate' }] }), `/fields/${next}/transforms/0/type`],
        ['missing parameter', withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601' }] }), `/fields/${next}/transforms/0`],
        ['unknown target', withRule({ target: 'nickname', source: 'properties.firstname' }), `/fields/${next}/target`],
        ['required field unmapped', { ...base, fields: base.fields.filter((rule) => rule.target !== 'fullName') }, '/fields'],
        ['type mismatch', withRule({ target: 'marketingConsent', source: 'properties.email' }), `/fields/${next}`],
        ['source syntax', withRule({ target: 'mobilePhone', source: 'properties..phone' }), `/fields/${next}/source`],
        ['unknown time zone', withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao_Pablo' }] }), `/fields/${next}/transforms/0/timeZone`],
        ['other canonical object', { ...base, canonicalObject: 'company' }, '/canonicalObject'],
      ];
      const before = await activeVersion();

      for (const [name, definition, path] of cases) {
        const { status, body, headers } = await call('PUT', `${BASE}/contacts`, { definition });
        expect(status, name).toBe(422);
        expect(headers.get('content-type'), name).toContain('application/problem+json');
        expect(body.code, name).toBe('MAPPING_INVALID');
        expect(body.problems.map((problem: any) => problem.path), name).toContain(path);
        for (const problem of body.problems) expect(problem.message, name).toMatch(/^[A-Z'"].+[.?]$/);
      }
      expect(await activeVersion()).toBe(before);
    });

    it('problems follow Accept-Language', async () => {
      const base = defaultMapping('contacts');
      const withRule = (rule: unknown) => ({ ...base, fields: [...base.fields, rule] });
      const cases: [unknown, string, string[]][] = [
        [{ ...base, fields: base.fields.filter((rule) => rule.target !== 'fullName') }, 'REQUIRED_FIELD_UNMAPPED', ['é obrigatório', '"fullName"']],
        [withRule({ target: 'marketingConsent', source: 'properties.email' }), 'TYPE_MISMATCH', ['grava texto em "marketingConsent"', 'true ou false', '"to": "boolean"']],
        [withRule({ target: 'mobilePhone', source: 'properties..phone' }), 'SOURCE_PATH_INVALID', ['caminho de origem "properties..phone"']],
        [{ ...base, canonicalObject: 'company' }, 'CANONICAL_OBJECT_MISMATCH', ['"canonicalObject" deve ser "contact"']],
        [withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'toDate' }] }), 'SCHEMA_INVALID', ['"toDate" não é aceito']],
        [withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601' }] }), 'SCHEMA_INVALID', ['Falta o parâmetro obrigatório "to"']],
        [withRule({ target: 'nickname', source: 'properties.firstname' }), 'UNKNOWN_TARGET', ['O campo "nickname" não existe']],
        [withRule({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao_Pablo' }] }), 'UNKNOWN_TIME_ZONE', ['"America/Sao_Pablo"', 'America/Sao_Paulo']],
      ];

      for (const [definition, code, phrases] of cases) {
        const english = await call('PUT', `${BASE}/contacts`, { definition });
        const portuguese = await setup.test.call('PUT', `${BASE}/contacts`, { definition }, { 'accept-language': 'pt-BR' });
        const problem = portuguese.body.problems.find((found: any) => found.code === code);

        expect(portuguese.status, code).toBe(422);
        expect(portuguese.headers.get('content-language'), code).toBe('pt-BR');
        expect(problem, JSON.stringify(portuguese.body.problems)).toBeDefined();
        for (const phrase of phrases) expect(problem.message, code).toContain(phrase);
        expect(problem.message, code).not.toMatch(/\b(does not|must|is missing|Did you mean|Expected)\b/);
        expect(portuguese.body.detail, code).toContain(portuguese.body.problems[0].message);
        const same = english.body.problems.find((found: any) => found.code === code && found.path === problem.path);
        expect(same.params, code).toEqual(problem.params);
        expect(same.message, code).not.toBe(problem.message);
      }
    });

    it('invalid definition lists all problems', async () => {
      const base = defaultMapping('contacts');
      const definition = { ...base, fields: [...base.fields, { target: 'nickname', source: 'properties.firstname' }, { target: 'mobilePhone', source: 'a..b' }] };
      const { status, body } = await call('PUT', `${BASE}/contacts`, { definition });

      expect(status).toBe(422);
      expect(body.problems.map((problem: any) => problem.path).sort()).toEqual([`/fields/${base.fields.length}/target`, `/fields/${base.fields.length + 1}/source`]);
    });

    it('baseVersion conflict is 409', async () => {
      const current = await activeVersion();
      const stale = await call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), baseVersion: current - 1 });
      const fresh = await call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), baseVersion: current });

      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('MAPPING_VERSION_CONFLICT');
      expect(stale.body.detail).toContain(`version ${current}`);
      expect(fresh.status).toBe(201);
      expect(fresh.body.version).toBe(current + 1);
      expect(await activeVersion()).toBe(current + 1);
    });

    it('concurrent saves on one base', async () => {
      const current = await activeVersion();
      const results = await Promise.all(Array.from({ length: 6 }, () => call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), baseVersion: current })));

      expect(results.map((result) => result.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(results.find((result) => result.status === 201)?.body.version).toBe(current + 1);
      expect(await activeVersion()).toBe(current + 1);
    });

    it('history pages newest first', async () => {
      for (let index = 0; index < 3; index += 1) {
        expect((await call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), comment: `Save ${index}` })).status).toBe(201);
      }
      const latest = await activeVersion();

      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const { status, body } = await call('GET', `${BASE}/contacts/versions${query}`);
        expect(status).toBe(200);
        expect(body.versions.length).toBeLessThanOrEqual(2);
        seen.push(...body.versions.map((entry: any) => entry.version));
        expect(body.versions.filter((entry: any) => entry.active).map((entry: any) => entry.version)).toEqual(body.versions.some((entry: any) => entry.version === latest) ? [latest] : []);
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor);

      expect(seen).toEqual(Array.from({ length: latest }, (_, index) => latest - index));
      expect(pages).toBe(Math.ceil(latest / 2));
    });

    it('history rejects bad paging', async () => {
      const badCursor = await call('GET', `${BASE}/contacts/versions?cursor=nonsense`);
      const badLimit = await call('GET', `${BASE}/contacts/versions?limit=201`);
      const unknown = await call('GET', `${BASE}/contacts/versions?page=2`);

      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe('INVALID_CURSOR');
      expect(badLimit.status).toBe(400);
      expect(fieldOf(badLimit.body)).toBe('limit');
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('QUERY_PARAMETER_UNKNOWN');
    });

    it('get by version', async () => {
      const first = await call('GET', `${BASE}/contacts/versions/1`);
      const second = await call('GET', `${BASE}/contacts/versions/2`);
      const missing = await call('GET', `${BASE}/contacts/versions/999`);
      const malformed = await call('GET', `${BASE}/contacts/versions/two`);

      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ version: 1, active: false, createdBy: 'system' });
      expect(first.body.definition).toEqual(defaultMapping('contacts'));
      expect(second.body.definition).toEqual(contactsWithSaoPauloDate());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('MAPPING_VERSION_NOT_FOUND');
      expect(malformed.status).toBe(400);
      expect(fieldOf(malformed.body)).toBe('version');
    });

    it('rollback copies an old version', async () => {
      const before = await activeVersion();
      const rolled = await call('POST', `${BASE}/contacts/rollback`, { version: 2 });
      const old = await call('GET', `${BASE}/contacts/versions/2`);

      expect(rolled.status).toBe(201);
      expect(rolled.body).toMatchObject({ version: before + 1, active: true, comment: 'Rollback to version 2' });
      expect(rolled.body.definition).toEqual(old.body.definition);
      expect(rolled.body.definition).toEqual(contactsWithSaoPauloDate());
      expect(old.body).toMatchObject({ version: 2, active: false, comment: 'Add birth date' });
      expect((await call('GET', `${BASE}/contacts/versions?limit=200`)).body.versions).toHaveLength(before + 1);
    });

    it('rollback rejects a missing version', async () => {
      const before = await activeVersion();
      const missing = await call('POST', `${BASE}/contacts/rollback`, { version: 999 });
      const absent = await call('POST', `${BASE}/contacts/rollback`, {});

      expect(missing.status).toBe(404);
      expect(absent.status).toBe(400);
      expect(fieldOf(absent.body)).toBe('version');
      expect(await activeVersion()).toBe(before);
    });

    it('restore-default equals the manifest', async () => {
      const before = await activeVersion();
      const restored = await call('POST', `${BASE}/contacts/restore-default`);
      const list = await call('GET', BASE);

      expect(restored.status).toBe(201);
      expect(restored.body.version).toBe(before + 1);
      expect(restored.body.definition).toEqual(defaultMapping('contacts'));
      expect(restored.body.comment).toBe('Default mapping from the connector manifest');
      expect(list.body.objects[0]).toMatchObject({ version: before + 1, isDefault: true });
    });

    it('unknown object is 404', async () => {
      for (const [method, path] of [
        ['GET', `${BASE}/tickets`],
        ['PUT', `${BASE}/tickets`],
        ['GET', `${BASE}/tickets/versions`],
        ['GET', `${BASE}/tickets/catalog`],
        ['POST', `${BASE}/tickets/restore-default`],
      ] as const) {
        const { status, body } = await call(method, path, method === 'PUT' ? { definition: defaultMapping('contacts') } : undefined);
        expect(status, `${method} ${path}`).toBe(404);
        expect(body.code).toBe('OBJECT_NOT_FOUND');
        expect(body.detail).toContain('contacts, companies, deals');
      }
    });

    it('bad requests change nothing', async () => {
      const before = await activeVersion();
      const noDefinition = await call('PUT', `${BASE}/contacts`, { comment: 'x' });
      const misspelt = await call('PUT', `${BASE}/contacts`, { definiton: defaultMapping('contacts') });
      const badBase = await call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), baseVersion: 'latest' });
      const longComment = await call('PUT', `${BASE}/contacts`, { definition: defaultMapping('contacts'), comment: 'x'.repeat(1001) });
      const notObject = await call('PUT', `${BASE}/contacts`, { definition: 'contacts' });

      expect(noDefinition.status).toBe(400);
      expect(fieldOf(noDefinition.body)).toBe('definition');
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.detail).toContain('definition');
      expect(badBase.status).toBe(400);
      expect(fieldOf(badBase.body)).toBe('baseVersion');
      expect(longComment.status).toBe(400);
      expect(fieldOf(longComment.body)).toBe('comment');
      // The OpenAPI request check returns 400 before the handler's own 422 for a non-object.
      expect([400, 422]).toContain(notObject.status);
      expect(JSON.stringify(notObject.body)).toContain('definition');
      expect(await activeVersion()).toBe(before);
    });

    it('other workspace gets 404', async () => {
      const headers = { authorization: `Bearer ${otherKey}` };
      const byId = `/v1/integrations/${setup.connectionId}/field-mappings`;
      const before = await activeVersion();

      const requests: [string, string, unknown][] = [
        ['GET', byId, undefined],
        ['GET', `${byId}/contacts`, undefined],
        ['GET', `${byId}/contacts/versions`, undefined],
        ['GET', `${byId}/contacts/catalog`, undefined],
        ['PUT', `${byId}/contacts`, { definition: contactsWithSaoPauloDate() }],
        ['POST', `${byId}/contacts/rollback`, { version: 1 }],
        ['POST', `${byId}/contacts/restore-default`, undefined],
        ['POST', `${byId}/preview`, { object: 'contacts', definition: contactsWithSaoPauloDate() }],
        ['GET', BASE, undefined],
      ];
      for (const [method, path, body] of requests) {
        const response = await setup.test.call(method, path, body, headers);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(JSON.stringify(response.body)).not.toContain('"definition"');
      }
      expect(await activeVersion()).toBe(before);
    });
  });
});
