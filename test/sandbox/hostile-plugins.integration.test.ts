import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAllRecords, startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { HEAVY_LIMITS, HOSTILE_LIMITS, writePluginConnectors } from './support/plugin-connectors.js';

// Hostile plugins inside a running platform. Each attack runs in the transformPage hook of
// a real sync, which must fail with the attack's error code while the platform keeps
// responding and other connectors keep syncing in the same process.

const TOKEN = 'pat-na1-hostile-suite-token';
const CONTACTS = 30;

/** Attacks that must stop the sync: the connector that runs each, the error codes it may end with and the limit it reports. */
const STOPPED: [attack: string, codes: string, limit: string | null, connector: string][] = [
  ['infinite-loop', 'PLUGIN_CPU_LIMIT', 'cpuTimeMs', 'hostile'],
  ['memory-bomb', 'PLUGIN_MEMORY_LIMIT', 'memoryMb', 'hostile-heavy'],
  ['deep-recursion', 'PLUGIN_THREW', null, 'hostile'],
  ['huge-result', 'PLUGIN_RESULT_INVALID', 'maxResultBytes', 'hostile'],
  ['function-result', 'PLUGIN_RESULT_INVALID', null, 'hostile'],
  ['pending-promise', 'PLUGIN_TIMEOUT', 'wallTimeMs', 'hostile'],
  // A loop of state writes ends at the time limit, or at the host-call limit on a fast database.
  ['host-calls-forever', 'PLUGIN_TIMEOUT or PLUGIN_HOST_CALL_LIMIT', null, 'hostile'],
  // isolated-vm counts the time an isolate blocks its thread as CPU time.
  ['atomics-wait', 'PLUGIN_CPU_LIMIT', 'cpuTimeMs', 'hostile'],
  ['denied-capability', 'PLUGIN_CAPABILITY_DENIED', null, 'hostile'],
];

forEachDatabase((database) => {
  describe('hostile plugins in a running platform', () => {
    let simulator: HubSpotSimulator;
    let test: TestPlatform;

    /** Connects (or reconnects) a connector to the simulator with extra config. */
    async function connect(connector: string, config: Record<string, unknown> = {}): Promise<string> {
      const { status, body } = await test.call('POST', `/v1/integrations/${connector}/connect`, {
        credentials: { accessToken: TOKEN },
        config: { baseUrl: simulator.url, rateLimits: 'providerOnly', ...config },
      });
      expect(status).toBe(200);
      return body.connectionId;
    }

    async function syncContacts(connector: string): Promise<any> {
      const started = await test.call('POST', `/v1/integrations/${connector}/sync`, { type: 'contacts', mode: 'full' });
      expect(started.status).toBe(202);
      return (await watchRun(test, connector, 60_000)).final;
    }

    /** Runs a report attack in a sync and returns what the plugin saw, read back from the stored first names. */
    async function report(connector: string, attack: string): Promise<any> {
      await connect(connector, { attack: `report:${attack}` });
      const final = await syncContacts(connector);
      expect(final.lastRun.status).toBe('succeeded');
      const records = await readAllRecords(test, connector, 'contact');
      expect(records.length).toBe(CONTACTS);
      return JSON.parse(records[0].data.firstName);
    }

    /**
     * Checks that the platform still serves: a 200 with healthy dependencies. A hostile
     * connector's failed sync degrades its own connection, so the overall status may be
     * `degraded`, but never `unhealthy`.
     */
    async function expectHealthy(): Promise<void> {
      const response = await fetch(`${test.url}/health`);
      const body = (await response.json()) as { status: string; checks: Record<string, unknown> };
      expect(response.status).toBe(200);
      expect(body.checks.database).toBe('healthy');
      expect(body.checks.queue).toBe('healthy');
      expect(body.status).not.toBe('unhealthy');
    }

    beforeAll(async () => {
      const connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-plugin-connectors-'));
      await writePluginConnectors(connectorsDir);
      simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: CONTACTS } }, rateLimit: false });
      await simulator.start();
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
      await simulator?.close();
    });

    it('loads the plugin connectors', () => {
      const hostile = test.platform.registry.get('hostile');
      const twin = test.platform.registry.get('hostile-twin');

      expect(test.platform.registry.rejected()).toEqual([]);
      expect(hostile?.plugin?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(twin?.plugin?.sha256).toBe(hostile?.plugin?.sha256);
      expect(hostile?.plugin?.limits).toEqual(HOSTILE_LIMITS);
    });

    it.each(STOPPED)('stops %s with %s', async (attack, codes, limit, connector) => {
      const connectionId = await connect(connector, { attack });

      const final = await syncContacts(connector);

      expect(final.lastRun.status).toBe('failed');
      expect(codes.split(' or ')).toContain(final.lastRun.error.code);
      if (limit === 'maxResultBytes') expect(final.lastRun.error.message).toContain('8388608 bytes');
      if (limit === 'cpuTimeMs') expect(final.lastRun.error.message).toContain(`${HOSTILE_LIMITS.cpuTimeMs} ms of CPU time`);
      if (limit === 'wallTimeMs') expect(final.lastRun.error.message).toContain(`within ${HOSTILE_LIMITS.wallTimeMs} ms of elapsed time`);
      // The pending promise computes nothing, so the message must point at waiting, not at a loop.
      if (attack === 'pending-promise') expect(final.lastRun.error.message).toContain('It spent most of that time waiting');
      if (limit === 'memoryMb') expect(final.lastRun.error.message).toContain(`${HEAVY_LIMITS.memoryMb} MB heap limit`);
      expect(final.lastRun.error.message).toContain(`"${connector}" plugin`);
      await expectHealthy();

      if (attack === 'host-calls-forever') {
        // The plugin's loop of state writes ends with its call.
        const ticks = (await test.platform.store.pluginState.get(connectionId, 'ticks'))?.value;
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(ticks).toBeGreaterThan(0);
        expect((await test.platform.store.pluginState.get(connectionId, 'ticks'))?.value).toBe(ticks);
      }
    }, 30_000);

    it('offers no Node API, timers or network', async () => {
      const seen = await report('hostile', 'read-environment');

      for (const name of ['process', 'require', 'module', 'Buffer', 'setTimeout', 'setInterval', 'fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts']) {
        expect(seen[name], name).toBe('undefined');
      }
    }, 30_000);

    it('finds only the isolate global through constructors', async () => {
      expect(await report('hostile', 'escape-constructor')).toMatchObject({ sameGlobal: true, process: 'undefined', require: 'undefined' });
    }, 30_000);

    it('reaches no credential', async () => {
      const seen = await report('hostile', 'read-credentials');
      const everything = JSON.stringify(seen);

      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(test.apiKey);
      expect(seen.config.baseUrl).toBe(simulator.url);
    }, 30_000);

    it('keeps prototype pollution from other calls and connectors', async () => {
      expect(await report('hostile', 'pollute')).toBe('polluted');

      const clean = { objectPrototype: null, arrayPrototype: null, jsonParse: '{"a":1}', leftBehind: null };
      expect(await report('hostile-twin', 'check-pollution')).toEqual(clean);
      expect(await report('hostile', 'check-pollution')).toEqual(clean);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    }, 60_000);

    it('leaves the platform healthy and another connector syncing', async () => {
      await expectHealthy();
      await connect('hubspot');

      const final = await syncContacts('hubspot');

      expect(final.lastRun.status).toBe('succeeded');
      expect(final.lastRun.counts.inserted).toBe(CONTACTS);
      expect(await readAllRecords(test, 'hubspot', 'contact')).toHaveLength(CONTACTS);
    }, 30_000);

    it('runs a well-behaved transform in a real sync', async () => {
      await connect('hubspot-shaped');

      const final = await syncContacts('hubspot-shaped');

      expect(final.lastRun.status).toBe('succeeded');
      const records = await readAllRecords(test, 'hubspot-shaped', 'contact');
      const byId = new Map(records.map((record) => [record.externalId, record]));
      expect(records).toHaveLength(CONTACTS);
      for (const source of simulator.store.list('contacts')) {
        const stored = byId.get(source.id);
        // The plugin upper-cases the last name before the mapping trims it.
        const expected = source.properties.lastname ? source.properties.lastname.toUpperCase().trim() : undefined;
        expect(stored?.data.lastName ?? undefined, source.id).toBe(expected === '' ? undefined : expected);
        expect(stored?.data.firstName ?? null).toBe(source.properties.firstname?.trim() || null);
      }
    }, 30_000);
  });
});
