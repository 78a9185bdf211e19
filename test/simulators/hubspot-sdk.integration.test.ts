// Faithfulness tests: HubSpot's official Node.js client (@hubspot/api-client v13)
// talks to the simulator over loopback HTTP, plus HTTP-level checks of the simulator.
//
// The client retries nothing unless `numberOfApiCallRetries` is 2 or more, because the
// option counts attempts (0 to 6) and with 1 the first failure is final. Its
// RetryDecorator waits 10 s times the attempt number after a TEN_SECONDLY_ROLLING 429,
// and 1 s times the attempt number after a 429 whose message is "You have reached your
// secondly limit.". The suite leaves the option unset so that a 429 reaches the test at
// once, except in the test that checks the retry itself. The client keeps its decorators
// in a process-wide singleton that every `new Client()` replaces, so each test builds
// its own client.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotSimulator } from './hubspot/index.js';
import type { HubSpotRecord, HubSpotSimulator } from './hubspot/index.js';

const TOKEN = 'sdk-test-token';
const FIXED_NOW = Date.parse('2025-07-01T12:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RATE_LIMIT_HEADERS = [
  'x-hubspot-ratelimit-daily',
  'x-hubspot-ratelimit-daily-remaining',
  'x-hubspot-ratelimit-interval-milliseconds',
  'x-hubspot-ratelimit-max',
  'x-hubspot-ratelimit-remaining',
  'x-hubspot-ratelimit-secondly',
  'x-hubspot-ratelimit-secondly-remaining',
];

interface CapturedApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Awaits a call that must fail and returns the SDK's ApiException fields. */
async function captureApiError(call: Promise<unknown>): Promise<CapturedApiError> {
  try {
    await call;
  } catch (error) {
    const candidate = error as Partial<CapturedApiError>;
    if (typeof candidate.code === 'number' && typeof candidate.body === 'object' && candidate.body !== null) {
      return { code: candidate.code, body: candidate.body, headers: candidate.headers ?? {} };
    }
    throw error;
  }
  throw new Error('The call succeeded but a failure was expected.');
}

function sdkClient(basePath: string, options: { accessToken?: string; numberOfApiCallRetries?: number } = {}): Client {
  return new Client({ basePath, accessToken: options.accessToken ?? TOKEN, numberOfApiCallRetries: options.numberOfApiCallRetries });
}

function byModifiedThenId(left: HubSpotRecord, right: HubSpotRecord): number {
  const order = Date.parse(String(left.properties.lastmodifieddate)) - Date.parse(String(right.properties.lastmodifieddate));
  return order !== 0 ? order : Number(left.id) - Number(right.id);
}

describe('HubSpot SDK against the simulator', () => {
  let simulator: HubSpotSimulator;
  let url: string;

  beforeAll(async () => {
    simulator = createHubSpotSimulator({
      tokens: [TOKEN],
      seed: { seed: 42, contacts: { count: 1234, tiedLastModifiedCount: 150, archivedCount: 20 }, companies: 30, deals: 40 },
      // High limits: this suite checks headers, and a separate suite checks the 429.
      rateLimit: { maxPerInterval: 100_000, daily: 1_000_000, searchPerSecond: false },
      clock: () => FIXED_NOW,
    });
    url = (await simulator.start()).url;
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('walks list pages to the end', async () => {
    const client = sdkClient(url);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after, ['firstname', 'lastname', 'email', 'jobtitle']);
      pages++;
      for (const result of page.results) {
        seen.push(result.id);
        const stored = simulator.store.get('contacts', result.id);
        expect(result.properties).toEqual({
          createdate: stored?.properties.createdate,
          email: stored?.properties.email,
          firstname: stored?.properties.firstname,
          hs_object_id: result.id,
          jobtitle: stored?.properties.jobtitle ?? null,
          lastmodifieddate: stored?.properties.lastmodifieddate,
          lastname: stored?.properties.lastname,
        });
        expect(result.createdAt).toEqual(new Date(String(stored?.createdAt)));
        expect(result.archived).toBe(false);
      }
      after = page.paging?.next?.after;
    } while (after !== undefined);

    const expected = simulator.store.list('contacts').map((record) => record.id);
    expect(seen).toEqual(expected);
    expect(seen).toHaveLength(1234);
    expect(pages).toBe(13);
  });

  it('gets one contact with emoji', async () => {
    const client = sdkClient(url);
    const stored = simulator.store.list('contacts').find((record) => record.properties.firstname === 'Zé 🚀');
    expect(stored).toBeDefined();

    const contact = await client.crm.contacts.basicApi.getById(String(stored?.id), ['firstname', 'lastname', 'company']);

    expect(contact.id).toBe(stored?.id);
    expect(contact.properties.firstname).toBe('Zé 🚀');
    expect(Buffer.from(String(contact.properties.firstname), 'utf8').toString('hex')).toBe('5ac3a920f09f9a80');
    expect(contact.properties.lastname).toBe(stored?.properties.lastname);
    expect(contact.properties.company).toBe(stored?.properties.company ?? null);
  });

  it('returns HubSpot 404 bodies', async () => {
    const client = sdkClient(url);

    const numeric = await captureApiError(client.crm.contacts.basicApi.getById('999999999'));
    const textual = await captureApiError(client.crm.contacts.basicApi.getById('not-a-number'));

    expect(numeric.code).toBe(404);
    expect(numeric.body).toMatchObject({ status: 'error', message: 'resource not found' });
    expect(textual.code).toBe(404);
    expect(textual.body).toMatchObject({
      status: 'error',
      message: 'Object not found.  objectId are usually numeric.',
      category: 'OBJECT_NOT_FOUND',
      context: { id: ['not-a-number'] },
    });
    expect(String(textual.body.correlationId)).toMatch(UUID);
  });

  it('searches with filter, sort and total', async () => {
    const client = sdkClient(url);
    const tiedValue = simulator.seedSummary?.objects.contacts.tiedLastModified?.value;
    expect(tiedValue).toBeDefined();
    // A threshold one hour before the tied instant keeps all tied contacts in the results.
    const threshold = Date.parse(String(tiedValue)) - 3_600_000;
    const expected = simulator.store
      .list('contacts')
      .filter((record) => Date.parse(String(record.properties.lastmodifieddate)) >= threshold)
      .sort(byModifiedThenId)
      .map((record) => record.id);
    expect(expected.length).toBeGreaterThan(200);

    const seen: string[] = [];
    let after: string | undefined = undefined;
    let total = -1;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(threshold) }] }],
        sorts: ['lastmodifieddate'],
        properties: ['email', 'lastmodifieddate'],
        limit: 100,
        after,
      });
      total = page.total;
      seen.push(...page.results.map((result) => result.id));
      after = page.paging?.next?.after;
    } while (after !== undefined);

    expect(total).toBe(expected.length);
    expect(seen).toEqual(expected);
  });

  it('sorts descending with an object rule', async () => {
    const client = sdkClient(url);
    const newest = [...simulator.store.list('contacts')].sort(byModifiedThenId).pop();

    const page = await client.crm.contacts.searchApi.doSearch({
      // The SDK types sorts as strings; HubSpot also takes {propertyName, direction}.
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }] as unknown as string[],
      limit: 1,
    });

    expect(page.results[0]?.id).toBe(newest?.id);
    expect(page.total).toBe(1234);
  });

  it('rejects paging past 10,000 results', async () => {
    const client = sdkClient(url);

    const error = await captureApiError(client.crm.contacts.searchApi.doSearch({ after: '9900', limit: 200 }));

    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(error.body.correlationId)).toMatch(UUID);
  });

  it('reads a batch with a missing id', async () => {
    const client = sdkClient(url);
    const [first, second] = simulator.store.list('contacts');

    const response = await client.crm.contacts.batchApi.read({
      inputs: [{ id: String(first?.id) }, { id: '999999999' }, { id: String(second?.id) }],
      properties: ['email'],
      propertiesWithHistory: [],
    });

    expect(response.results.map((result) => result.id)).toEqual([first?.id, second?.id]);
    expect(response.results[0]?.properties.email).toBe(first?.properties.email);
    expect('numErrors' in response ? response.numErrors : undefined).toBe(1);
    const errors = 'errors' in response ? response.errors : undefined;
    expect(errors?.[0]).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
      context: { ids: ['999999999'] },
    });
  });

  it('creates a batch of contacts', async () => {
    const client = sdkClient(url);

    const response = await client.crm.contacts.batchApi.create({
      inputs: [
        { properties: { firstname: 'Conceição', lastname: 'Gião', email: 'conceicao.giao@example.com' }, associations: [] },
        { properties: { firstname: 'Zé 🚀', email: 'ze.novo@example.com', lifecyclestage: 'lead' }, associations: [] },
      ],
    });

    expect(response.status).toBe('COMPLETE');
    expect(response.results).toHaveLength(2);
    for (const result of response.results) {
      const stored = simulator.store.get('contacts', result.id);
      expect(stored?.properties.email).toBe(result.properties.email);
      expect(stored?.properties.firstname).toBe(result.properties.firstname);
      expect(result.createdAt).toEqual(new Date(FIXED_NOW));
    }
  });

  it('rejects a duplicate email', async () => {
    const client = sdkClient(url);
    const existing = simulator.store.list('contacts')[5];

    const error = await captureApiError(client.crm.contacts.basicApi.create({ properties: { email: String(existing?.properties.email) }, associations: [] }));

    expect(error.code).toBe(409);
    expect(error.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing?.id}` });
  });

  it('upserts contacts by email', async () => {
    const client = sdkClient(url);
    const existing = simulator.store.list('contacts')[10];
    const existingEmail = String(existing?.properties.email);

    const response = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: existingEmail, idProperty: 'email', properties: { jobtitle: 'Diretora de Operações' } },
        { id: 'angela.nova@example.com', idProperty: 'email', properties: { firstname: 'Ângela' } },
      ],
    });

    const updated = response.results.find((result) => result.id === existing?.id);
    const created = response.results.find((result) => result.properties.email === 'angela.nova@example.com');
    expect(updated?._new).toBe(false);
    expect(created?._new).toBe(true);
    expect(simulator.store.get('contacts', String(existing?.id))?.properties.jobtitle).toBe('Diretora de Operações');
    expect(simulator.store.get('contacts', String(created?.id))?.properties.firstname).toBe('Ângela');
  });

  it('archives and lists archived contacts', async () => {
    const client = sdkClient(url);
    const target = simulator.store.list('contacts')[3];
    await client.crm.contacts.basicApi.archive(String(target?.id));

    const archived = await client.crm.contacts.getAll(100, undefined, ['email'], undefined, undefined, true);
    const active = await client.crm.contacts.getAll(100, undefined, ['email']);

    const archivedIds = archived.map((record) => record.id);
    expect(archivedIds).toContain(target?.id);
    expect(archivedIds).toEqual(simulator.store.list('contacts', { archived: true }).map((record) => record.id));
    expect(archived.every((record) => record.archived === true && record.archivedAt instanceof Date)).toBe(true);
    expect(active.map((record) => record.id)).not.toContain(target?.id);
  });

  it('surfaces a 401 with its body', async () => {
    const client = sdkClient(url, { accessToken: 'wrong-token' });

    const error = await captureApiError(client.crm.contacts.basicApi.getPage(10));

    expect(error.code).toBe(401);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      message: expect.stringContaining('Authentication credentials not found') as unknown,
    });
    expect(error.headers['x-hubspot-correlation-id']).toBe(error.body.correlationId);
  });

  it('sends rate-limit headers', async () => {
    const client = sdkClient(url);

    const first = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);
    const second = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);

    for (const name of RATE_LIMIT_HEADERS) {
      expect(first.headers[name]).toMatch(/^\d+$/);
    }
    expect(first.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
    expect(Number(second.headers['x-hubspot-ratelimit-daily-remaining'])).toBe(Number(first.headers['x-hubspot-ratelimit-daily-remaining']) - 1);
    expect(first.headers['content-type']).toBe('application/json;charset=utf-8');
  });
});

describe('HubSpot SDK and rate limits', () => {
  let simulator: HubSpotSimulator;
  let url: string;
  let now = FIXED_NOW;

  beforeAll(async () => {
    simulator = createHubSpotSimulator({
      tokens: [TOKEN],
      seed: { seed: 3, contacts: 30 },
      rateLimit: { maxPerInterval: 2, intervalMs: 10_000, searchPerSecond: 1 },
      clock: () => now,
    });
    url = (await simulator.start()).url;
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('returns a 429 with the HubSpot body', async () => {
    const client = sdkClient(url);
    await client.crm.contacts.basicApi.getPage(5);
    await client.crm.contacts.basicApi.getPage(5);

    const error = await captureApiError(client.crm.contacts.basicApi.getPage(5));

    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(Object.keys(error.body)).toEqual(['status', 'message', 'errorType', 'correlationId', 'policyName', 'groupName']);
    expect(error.headers['x-hubspot-ratelimit-remaining']).toBe('0');

    now += 10_000;
    const page = await client.crm.contacts.basicApi.getPage(5);
    expect(page.results).toHaveLength(5);
  });

  it('limits searches per second', async () => {
    simulator.resetRateLimits();
    const client = sdkClient(url);
    await client.crm.contacts.searchApi.doSearch({ limit: 1 });

    const error = await captureApiError(client.crm.contacts.searchApi.doSearch({ limit: 1 }));

    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    expect(error.headers['x-hubspot-ratelimit-max']).toBeUndefined();
  });

  it('is retried by the SDK when enabled', async () => {
    simulator.resetRateLimits();
    simulator.requests.reset();
    simulator.rateLimitNext(1, 'SECONDLY');
    const client = sdkClient(url, { numberOfApiCallRetries: 2 });

    const page = await client.crm.contacts.searchApi.doSearch({ limit: 3 });

    expect(page.results).toHaveLength(3);
    expect(simulator.requests.entries.map((entry) => entry.status)).toEqual([429, 200]);
  });
});

describe('simulator over HTTP', () => {
  let simulator: HubSpotSimulator;
  let url: string;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 5, contacts: 250 }, rateLimit: false, controlApi: true, clock: () => FIXED_NOW });
    url = (await simulator.start()).url;
  });

  afterAll(async () => {
    await simulator.close();
  });

  async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('rejects a list limit over 100', async () => {
    const accepted = await getJson('/crm/v3/objects/contacts?limit=100');
    const rejected = await getJson('/crm/v3/objects/contacts?limit=101');

    expect(accepted.status).toBe(200);
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('uses a default page of 10', async () => {
    const page = await getJson('/crm/v3/objects/contacts');
    const paging = page.body.paging as { next: { after: string; link: string } };

    expect(page.body.results).toHaveLength(10);
    expect(paging.next.link).toBe(`${url}/crm/v3/objects/contacts?after=${paging.next.after}`);
  });

  it('rejects a malformed cursor', async () => {
    expect((await getJson('/crm/v3/objects/contacts?after=abc')).status).toBe(400);
  });

  it('rejects an unknown object type', async () => {
    const response = await getJson('/crm/v3/objects/widgets');

    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Unable to infer object type from: widgets');
  });

  it('reports invalid JSON bodies', async () => {
    const response = await fetch(`${url}/crm/v3/objects/contacts/search`, { method: 'POST', headers, body: '{"limit": 5,' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^Invalid input JSON on line 1, column/);
  });

  it('lists properties given as one comma list', async () => {
    const response = await getJson('/crm/v3/objects/contacts?limit=1&properties=city,country');
    const results = response.body.results as { properties: Record<string, unknown> }[];

    expect(Object.keys(results[0]?.properties ?? {})).toEqual(['city', 'country', 'createdate', 'hs_object_id', 'lastmodifieddate']);
  });

  it('round-trips accents and emoji byte-exact', async () => {
    const name = 'Conceição Ângela Zé 🚀 ☀️ 👩‍💻';
    const created = await fetch(`${url}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ properties: { firstname: name, email: 'bytes@example.com' } }),
    });
    const id = ((await created.json()) as { id: string }).id;

    const raw = Buffer.from(await (await fetch(`${url}/crm/v3/objects/contacts/${id}?properties=firstname`, { headers })).arrayBuffer());

    expect(created.status).toBe(201);
    expect(raw.includes(Buffer.from(name, 'utf8'))).toBe(true);
    expect(simulator.store.get('contacts', id)?.properties.firstname).toBe(name);
  });

  it('updates through PATCH and bumps timestamps', async () => {
    const target = simulator.store.list('contacts')[0];
    const response = await fetch(`${url}/crm/v3/objects/contacts/${target?.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ properties: { city: 'Évora' } }),
    });
    const body = (await response.json()) as { properties: Record<string, string>; updatedAt: string };

    expect(response.status).toBe(200);
    expect(body.properties.city).toBe('Évora');
    expect(body.updatedAt).toBe(new Date(FIXED_NOW).toISOString());
    expect(body.properties.lastmodifieddate).toBe(new Date(FIXED_NOW).toISOString());
  });

  it('rejects unknown and read-only properties', async () => {
    const response = await fetch(`${url}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ properties: { favouritecolour: 'blue', hs_object_id: '5' } }),
    });
    const body = (await response.json()) as { message: string; errors: { code: string }[]; category: string };

    expect(response.status).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.message.startsWith('Property values were not valid: ')).toBe(true);
    expect(body.errors.map((error) => error.code)).toEqual(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);
  });

  it('rejects an unparsable datetime', async () => {
    const response = await fetch(`${url}/crm/v3/objects/deals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ properties: { dealname: 'Renovação', closedate: 'next tuesday' } }),
    });
    const body = (await response.json()) as { errors: { code: string; context: { propertyName: string[] } }[] };

    expect(response.status).toBe(400);
    expect(body.errors[0]?.code).toBe('INVALID_DATE');
    expect(body.errors[0]?.context.propertyName).toEqual(['closedate']);
  });

  it('rejects batches over 100 inputs', async () => {
    const inputs = Array.from({ length: 101 }, (_, index) => ({ id: String(index + 1) }));
    const response = await fetch(`${url}/crm/v3/objects/contacts/batch/read`, { method: 'POST', headers, body: JSON.stringify({ inputs, properties: [] }) });

    expect(response.status).toBe(400);
  });

  it('injects failures and delays', async () => {
    simulator.failNext(2, 503);
    simulator.setResponseDelay(150, 1);

    const started = performance.now();
    const first = await fetch(`${url}/crm/v3/objects/contacts?limit=1`, { headers });
    const elapsed = performance.now() - started;
    const second = await fetch(`${url}/crm/v3/objects/contacts?limit=1`, { headers });
    const third = await fetch(`${url}/crm/v3/objects/contacts?limit=1`, { headers });

    expect(first.status).toBe(503);
    expect(((await first.json()) as { status: string }).status).toBe('error');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(second.status).toBe(503);
    expect(third.status).toBe(200);
  });

  it('logs requests with status and body', async () => {
    simulator.requests.reset();
    await fetch(`${url}/crm/v3/objects/contacts/search`, { method: 'POST', headers, body: JSON.stringify({ limit: 2 }) });

    expect(simulator.requests.entries).toHaveLength(1);
    expect(simulator.requests.entries[0]).toMatchObject({
      method: 'POST',
      path: '/crm/v3/objects/contacts/search',
      body: { limit: 2 },
      status: 200,
      time: FIXED_NOW,
    });
  });

  it('mutates and resets through the control API', async () => {
    const added = await fetch(`${url}/__simulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ action: 'add', objectType: 'contacts', properties: { firstname: 'Leonor', email: 'leonor@example.com' } }),
    });
    const addedId = ((await added.json()) as { results: { id: string }[] }).results[0]?.id;
    expect(simulator.store.get('contacts', String(addedId))?.properties.firstname).toBe('Leonor');

    const reset = await fetch(`${url}/__simulator/reset`, { method: 'POST' });
    const state = (await (await fetch(`${url}/__simulator/state`)).json()) as { counts: { contacts: { active: number } } };

    expect(reset.status).toBe(200);
    expect(simulator.store.get('contacts', String(addedId))).toBeUndefined();
    expect(state.counts.contacts.active).toBe(250);
  });
});

describe('simulator control API switch', () => {
  it('is off unless enabled', async () => {
    const simulator = createHubSpotSimulator({ tokens: [TOKEN], rateLimit: false });
    const { url } = await simulator.start();
    try {
      const response = await fetch(`${url}/__simulator/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
    } finally {
      await simulator.close();
    }
  });
});

describe('simulator as a child process', () => {
  it('prints its URL and stops on SIGTERM', async () => {
    const servePath = fileURLToPath(new URL('./hubspot/serve.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', servePath, '--port', '0', '--contacts', '120', '--token', 'demo-token'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const announced = JSON.parse(chunk.toString('utf8').trim()) as { url: string; pid: number };
      expect(announced.pid).toBe(child.pid);
      expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const response = await fetch(`${announced.url}/crm/v3/objects/contacts?limit=100`, { headers: { authorization: 'Bearer demo-token' } });
      const body = (await response.json()) as { results: unknown[]; paging?: unknown };
      expect(body.results).toHaveLength(100);
      expect(body.paging).toBeDefined();

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
});

describe('listing 25,000 contacts', () => {
  it('pages through every contact over HTTP', async () => {
    const seedStarted = performance.now();
    const simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 1, contacts: 25_000 }, rateLimit: false });
    const seedMs = performance.now() - seedStarted;
    const { url } = await simulator.start();

    try {
      const properties = 'firstname,lastname,email,phone,company,lifecyclestage';
      const ids: number[] = [];
      let after: string | undefined;
      let pages = 0;
      const started = performance.now();
      do {
        const query = `limit=100&properties=${properties}${after === undefined ? '' : `&after=${after}`}`;
        const response = await fetch(`${url}/crm/v3/objects/contacts?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        const page = (await response.json()) as { results: { id: string }[]; paging?: { next: { after: string } } };
        ids.push(...page.results.map((result) => Number(result.id)));
        after = page.paging?.next.after;
        pages++;
      } while (after !== undefined);
      const elapsedMs = performance.now() - started;

      const serverMs = simulator.requests.entries.map((entry) => entry.durationMs).sort((left, right) => left - right);
      const medianServerMs = serverMs[Math.floor(serverMs.length / 2)] ?? 0;
      console.info(
        `HubSpot simulator: listed ${ids.length} contacts in ${pages} pages in ${elapsedMs.toFixed(0)} ms ` +
          `(${Math.round(ids.length / (elapsedMs / 1000))} records/s; seeding ${seedMs.toFixed(0)} ms; ` +
          `median server time per page ${medianServerMs.toFixed(2)} ms)`,
      );

      expect(ids).toHaveLength(25_000);
      expect(pages).toBe(250);
      expect(ids.every((id, index) => index === 0 || id > (ids[index - 1] as number))).toBe(true);
    } finally {
      await simulator.close();
    }
  });
});
