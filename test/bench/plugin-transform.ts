/**
 * Plugin transform benchmark: a transformPage hook over pages of 100 HubSpot contacts in
 * the sandbox (worker process, isolated-vm isolate, JSON copies both ways), against the
 * same transform function called in the host, in the same run. It also times warm calls
 * of the hook with an empty page, which is the fixed cost of one sandbox call.
 *
 *   node --import tsx test/bench/plugin-transform.ts
 *
 * Options (environment): BENCH_ROUNDS (default 5), BENCH_PAGES per round and path
 * (default 500), BENCH_WARMUP pages (default 200), BENCH_EMPTY_CALLS per round (default 500).
 */
import { Writable } from 'node:stream';

import type { SandboxConfig } from '../../platform/src/config/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import { loadPluginBundle, SandboxHost, type PluginConnector } from '../../platform/src/sandbox/index.js';
import { shapeContacts } from '../sandbox/fixtures/shape-contacts.js';
import { FIXTURES_DIR } from '../sandbox/support/plugin-connectors.js';
import { createHubSpotSimulator } from '../simulators/hubspot/index.js';
import { describeMachine, median } from './machine.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 500);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const EMPTY_CALLS = Number(process.env.BENCH_EMPTY_CALLS ?? 500);
const PAGE_SIZE = 100;

/** The platform's default limits, so the figures are those of a plugin without `limits`. */
const SETTINGS: SandboxConfig = {
  defaults: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 30_000 },
  maximums: { memoryMb: 512, cpuTimeMs: 30_000, wallTimeMs: 300_000 },
  maxResultBytes: 8 * 1024 * 1024,
};

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Collects the `cpuMs` and `wallMs` of each call's isolate from the host's debug log. */
function isolateTimes() {
  const wallMs: number[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('plugin call finished')) continue;
        wallMs.push((JSON.parse(line) as { wallMs: number }).wallMs);
      }
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), wallMs };
}

function buildPages(): unknown[][] {
  const simulator = createHubSpotSimulator({ tokens: [], seed: { seed: 3, contacts: { count: 20 * PAGE_SIZE } }, rateLimit: false });
  const contacts = simulator.store.list('contacts');
  const pages: unknown[][] = [];
  for (let start = 0; start + PAGE_SIZE <= contacts.length; start += PAGE_SIZE) pages.push(contacts.slice(start, start + PAGE_SIZE));
  return pages;
}

async function timePages(count: number, pages: unknown[][], transform: (records: unknown[]) => Promise<unknown[]> | unknown[]): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const page = pages[index % pages.length]!;
    const started = performance.now();
    const result = await transform(page);
    durations.push(performance.now() - started);
    if (result.length !== PAGE_SIZE) throw new Error(`The transform returned ${result.length} records instead of ${PAGE_SIZE}.`);
  }
  return durations;
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: node --import tsx test/bench/plugin-transform.ts (rounds ${ROUNDS}, pages ${PAGES} of ${PAGE_SIZE} records per path and round, warm-up ${WARMUP}, empty calls ${EMPTY_CALLS}; medians over rounds)`);

  const pages = buildPages();
  const plugin = await loadPluginBundle(FIXTURES_DIR, { entry: 'bench-transform-plugin.ts', capabilities: [] });
  const connector: PluginConnector = { id: 'bench', plugin };
  const times = isolateTimes();
  const host = new SandboxHost({ settings: SETTINGS, logger: times.logger });
  const inSandbox = (records: unknown[]) => host.call(connector, 'transformPage', records);
  const inHost = (records: unknown[]) => shapeContacts(records);

  try {
    await timePages(WARMUP, pages, inSandbox);
    await timePages(WARMUP, pages, inHost);

    const sandboxRates: number[] = [];
    const hostRates: number[] = [];
    const sandboxPageMs: number[] = [];
    const hostPageMs: number[] = [];
    const emptyMs: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round runs both paths, so drift on the machine affects both alike.
      const sandbox = await timePages(PAGES, pages, inSandbox);
      const hosted = await timePages(PAGES, pages, inHost);
      sandboxRates.push((PAGES * PAGE_SIZE) / (sandbox.reduce((sum, value) => sum + value, 0) / 1000));
      hostRates.push((PAGES * PAGE_SIZE) / (hosted.reduce((sum, value) => sum + value, 0) / 1000));
      sandboxPageMs.push(...sandbox);
      hostPageMs.push(...hosted);

      times.wallMs.length = 0;
      for (let call = 0; call < EMPTY_CALLS; call += 1) {
        const started = performance.now();
        await host.call(connector, 'transformPage', []);
        emptyMs.push(performance.now() - started);
      }
    }
    const isolateEmptyMs = [...times.wallMs];

    const sandboxRate = median(sandboxRates);
    const hostRate = median(hostRates);
    const fixed = (value: number, digits = 3) => Number(value.toFixed(digits));
    console.log(
      JSON.stringify(
        {
          recordsPerSecond: { sandbox: Math.round(sandboxRate), host: Math.round(hostRate), sandboxToHostRatio: fixed(sandboxRate / hostRate, 4) },
          roundRecordsPerSecond: { sandbox: sandboxRates.map(Math.round), host: hostRates.map(Math.round) },
          pageOf100Ms: {
            sandbox: { p50: fixed(percentile(sandboxPageMs, 0.5)), p99: fixed(percentile(sandboxPageMs, 0.99)) },
            host: { p50: fixed(percentile(hostPageMs, 0.5)), p99: fixed(percentile(hostPageMs, 0.99)) },
          },
          warmEmptyCallMs: {
            roundTrip: { p50: fixed(percentile(emptyMs, 0.5)), p99: fixed(percentile(emptyMs, 0.99)) },
            insideIsolate: { p50: fixed(percentile(isolateEmptyMs, 0.5)), p99: fixed(percentile(isolateEmptyMs, 0.99)) },
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await host.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
