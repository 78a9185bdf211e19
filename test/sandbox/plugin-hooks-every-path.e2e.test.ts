import { createHmac } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/temporary-database.js';
import { waitFor } from '../webhooks/support/deliveries.js';

// A copy of the HubSpot connector with a plugin that defines only buildRequest. Every path
// that calls the provider for a connection must send its requests through the hook: the
// connection test at connect, a sync, a webhook event's fetch, a write-back and a declared
// action.

const TOKEN = 'hook-paths-token';
const PORTAL_ID = '880021';
const WEBHOOK_SECRET = 'hook-paths-secret';
const CONNECTOR_ID = 'hubspot-tagged';
const HUBSPOT_MANIFEST = fileURLToPath(new URL('../../connectors/hubspot/manifest.json', import.meta.url));
const PLUGIN_SOURCE = fileURLToPath(new URL('./fixtures/tagging-plugin.ts', import.meta.url));

async function writeConnector(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(HUBSPOT_MANIFEST, 'utf8'));
  manifest.id = CONNECTOR_ID;
  manifest.name = 'HubSpot (tagged)';
  manifest.plugin = { entry: 'plugin/index.ts', capabilities: ['log'] };
  manifest.actions = {
    readContact: {
      label: 'Ler contato',
      description: 'Reads one contact by its id.',
      input: { type: 'object', properties: { id: { type: 'string' } } },
      request: { method: 'GET', path: '/crm/v3/objects/contacts/{{ params.id }}' },
      outputSelector: { path: 'id' },
    },
  };

  await mkdir(join(dir, CONNECTOR_ID, 'plugin'), { recursive: true });
  await writeFile(join(dir, CONNECTOR_ID, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await copyFile(PLUGIN_SOURCE, join(dir, CONNECTOR_ID, 'plugin', 'index.ts'));
}

/** HubSpot's v3 signature, computed here rather than by the platform. */
function signV3(url: string, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`POST${url}${body}${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

describe('a plugin buildRequest hook on every provider path', () => {
  let simulator: HubSpotSimulator;
  let database: TemporaryDatabase;
  let test: TestPlatform;
  let connectorsDir: string;
  let connectionId: string;
  let webhookUrl: string;

  const requestsSince = (start: number) => simulator.requests.entries.slice(start);
  const untagged = (start: number) => requestsSince(start).filter((entry) => entry.query.lumioHook === undefined);

  beforeAll(async () => {
    simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: 30, archivedCount: 0 } }, rateLimit: false });
    await simulator.start();
    connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-hook-paths-'));
    await writeConnector(connectorsDir);
    database = await createTemporaryDatabase('sqlite');
    test = await startTestPlatform({ store: database.options, connectorsDir });
  }, 120_000);

  afterAll(async () => {
    await test?.close();
    await database?.dispose();
    await simulator?.close();
    if (connectorsDir) await rm(connectorsDir, { recursive: true, force: true });
  });

  it('tags the connect test', async () => {
    const start = simulator.requests.entries.length;
    const connect = await test.call('POST', `/v1/integrations/${CONNECTOR_ID}/connect`, {
      credentials: { accessToken: TOKEN },
      config: { baseUrl: simulator.url, portalId: PORTAL_ID, rateLimits: 'providerOnly' },
      webhookSecrets: [WEBHOOK_SECRET],
    });
    expect(connect.status, JSON.stringify(connect.body)).toBe(200);
    connectionId = connect.body.connectionId;
    webhookUrl = connect.body.webhookUrl;

    expect(requestsSince(start).length).toBeGreaterThan(0);
    expect(untagged(start)).toEqual([]);
  });

  it('tags every sync page', async () => {
    const start = simulator.requests.entries.length;
    const started = await test.call('POST', `/v1/integrations/${connectionId}/sync`, { type: 'contacts', mode: 'full' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const watch = await watchRun(test, connectionId, 60_000);
    expect(watch.final.lastRun.status, JSON.stringify(watch.final)).toBe('succeeded');

    const contactReads = requestsSince(start).filter((entry) => entry.path.includes('/objects/contacts'));
    expect(contactReads.length).toBeGreaterThan(0);
    expect(contactReads.every((entry) => entry.query.lumioHook === 'contacts')).toBe(true);
    expect(untagged(start)).toEqual([]);
  }, 90_000);

  it('tags a webhook event fetch', async () => {
    const id = String(simulator.store.list('contacts')[0]?.id);
    simulator.store.update('contacts', id, { firstname: 'Iracema' });
    const start = simulator.requests.entries.length;

    const body = JSON.stringify([{ eventId: 9_101, subscriptionId: 7, portalId: Number(PORTAL_ID), appId: 3, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: Number(id) }]);
    const reply = await fetch(webhookUrl, { method: 'POST', headers: signV3(webhookUrl, body, Date.now()), body });
    expect(reply.status, await reply.text()).toBe(200);

    const fetches = await waitFor(async () => requestsSince(start).filter((entry) => entry.path.endsWith(`/objects/contacts/${id}`)), (found) => found.length > 0);
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((entry) => entry.query.lumioHook === 'contacts')).toBe(true);
    expect(untagged(start)).toEqual([]);
  });

  it('tags a write-back upsert', async () => {
    const start = simulator.requests.entries.length;
    const accepted = await test.call('POST', '/v1/records', { integration: CONNECTOR_ID, object: 'contact', data: { fullName: 'Moema Tupinambá', email: 'moema.hooks@example.com' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    const write = await waitFor(async () => (await test.call('GET', `/v1/records/writes/${accepted.body.id}`)).body, (found) => found?.status !== 'pending' && found?.status !== 'processing', 20_000);
    expect(write.status, JSON.stringify(write)).toBe('succeeded');
    const upserts = requestsSince(start).filter((entry) => entry.method === 'POST' && entry.path.includes('/objects/contacts'));
    expect(upserts.length).toBeGreaterThan(0);
    expect(upserts.map((entry) => entry.query.lumioHook)).toEqual(upserts.map(() => 'contacts'));
    expect(untagged(start)).toEqual([]);
  });

  it('tags a declared action', async () => {
    const id = String(simulator.store.list('contacts')[1]?.id);
    const start = simulator.requests.entries.length;

    const { status, body } = await test.call('POST', `/v1/integrations/${connectionId}/actions/readContact`, { input: { id } });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.output).toBe(id);
    const reads = requestsSince(start).filter((entry) => entry.path.endsWith(`/objects/contacts/${id}`));
    expect(reads.length).toBe(1);
    expect(reads[0]?.query.lumioHook).toBe('none');
  });
});
