/**
 * Plugin sync benchmark: a full HubSpot contacts sync through the platform with a plugin
 * transformPage hook in the sandbox, against the same sync without a plugin, in the same
 * run. Both connectors share HubSpot's manifest. The plugin's connector adds the transform of
 * test/bench/plugin-transform.ts, which calls no host function. Each sync is previewed
 * first, so the sandbox's worker process is running before the timed sync, as it is in a
 * platform that has run a plugin call since it started. The sync fetches the next
 * page while it stores the current one, so the sandbox call of one page can overlap the
 * storage of the page before. The ratio shows what the sandboxed transform costs a user's
 * sync, where plugin-transform.ts shows what it costs next to the transform alone.
 *
 *   node --import tsx test/bench/plugin-sync.ts
 *
 * Options (environment): BENCH_CONTACTS (default 25000), BENCH_ROUNDS (default 3). SQLite only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { writeBenchConnectors } from '../sandbox/support/plugin-connectors.js';
import { createTemporaryDatabase } from '../store/temporary-database.js';
import { describeMachine, median } from './machine.js';
import { runPlatformSync, type PlatformSyncOptions } from './platform-sync.js';
import { startSimulatorProcess } from './simulator-process.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 25_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOKEN = 'bench-token';

async function syncRate(simulatorUrl: string, options: PlatformSyncOptions): Promise<{ rate: number; records: number; shaped: boolean }> {
  const database = await createTemporaryDatabase('sqlite');
  const run = await runPlatformSync(simulatorUrl, TOKEN, database, options).finally(() => database.dispose());
  return { rate: run.records / run.seconds, records: run.records, shaped: allLastNamesUpperCase(run.sample) };
}

/** Returns whether every sampled contact's last name is upper case, as the plugin's transform leaves it. */
function allLastNamesUpperCase(sample: Record<string, unknown>[]): boolean {
  const lastNames = sample.map((data) => data.lastName).filter((value): value is string => typeof value === 'string' && value !== '');
  return lastNames.length > 0 && lastNames.every((value) => value === value.toUpperCase());
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: node --import tsx test/bench/plugin-sync.ts (contacts ${CONTACTS}, rounds ${ROUNDS}, SQLite, median reported)`);

  const connectorsDir = await mkdtemp(join(tmpdir(), 'lumio-plugin-sync-'));
  const simulator = await startSimulatorProcess(CONTACTS, TOKEN);
  try {
    await writeBenchConnectors(connectorsDir);
    const plainRates: number[] = [];
    const pluginRates: number[] = [];

    // Rounds alternate the two connectors, so drift on the machine affects both alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      const plain = await syncRate(simulator.url, { connectorId: 'hubspot', connectorsDir, warmUp: true });
      const plugin = await syncRate(simulator.url, { connectorId: 'hubspot-bench-shaped', connectorsDir, warmUp: true });
      if (plugin.records !== plain.records) throw new Error(`The plugin sync read ${plugin.records} records, the plain sync ${plain.records}.`);
      // Without this check a sync that skipped the plugin would pass for a fast sandbox.
      if (!plugin.shaped) throw new Error('The plugin sync stored last names that are not upper case, so the plugin transform did not run.');
      if (plain.shaped) throw new Error('The sync without a plugin stored only upper-case last names, so the check cannot tell the two syncs apart.');
      plainRates.push(plain.rate);
      pluginRates.push(plugin.rate);
      console.log(`  round ${round + 1}: without plugin ${Math.round(plain.rate)} records/s, with plugin ${Math.round(plugin.rate)} records/s (${plain.records} records)`);
    }

    const plainRate = median(plainRates);
    const pluginRate = median(pluginRates);
    console.log(JSON.stringify({ benchmark: 'plugin-sync', contacts: CONTACTS, withoutPluginRecordsPerSecond: Math.round(plainRate), withPluginRecordsPerSecond: Math.round(pluginRate), ratio: Number((pluginRate / plainRate).toFixed(2)) }));
  } finally {
    await simulator.stop();
    await rm(connectorsDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
