/**
 * Plugin transform benchmark: a transformPage hook over pages of 100 HubSpot contacts in
 * the sandbox (worker process, isolated-vm isolate, JSON copies both ways), against the
 * same transform function called in the host, in the same run. The pages are sent with one
 * connection context, as a sync sends them, so they share a warm realm. It also times warm
 * calls of the hook with an empty page, which is the fixed cost of one sandbox call: with
 * the connection context, without one, where every call gets a fresh realm, and without
 * one but with a stored connection id, as the webhook intake can pass it. CPU time
 * per call of both processes is printed too. The host's includes the debug log line per
 * call from which the benchmark reads the time spent inside the isolate. The garbage
 * collection pauses of the benchmark process per page are printed as well, from
 * PerformanceObserver's "gc" entries.
 *
 *   node --import tsx test/bench/plugin-transform.ts
 *
 * Options (environment): BENCH_ROUNDS (default 5), BENCH_PAGES per round and path
 * (default 500), BENCH_WARMUP pages (default 200), BENCH_EMPTY_CALLS per round (default 500),
 * BENCH_MEMORY_MB, the plugin's memory limit in MB (default 64, the platform default).
 *
 * isolated-vm 5.0.4 has no option for the young generation. It sizes it from the memory
 * limit alone, as 2^(min(4, memoryMb / 128) + 10) KB (src/isolate/environment.cc), so
 * 64 MB gives about 1.4 MB and 512 MB gives 16 MB. BENCH_MEMORY_MB is therefore also the
 * way to measure a larger young generation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { Writable } from 'node:stream';

import type { SandboxConfig } from '../../platform/src/config/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext } from '../../platform/src/runtime/index.js';
import { loadPluginBundle, SandboxHost, type PluginConnector } from '../../platform/src/sandbox/index.js';
import { shapeContacts } from '../sandbox/fixtures/shape-contacts.js';
import { FIXTURES_DIR } from '../sandbox/support/plugin-connectors.js';
import { createHubSpotSimulator } from '../simulators/hubspot/index.js';
import { describeMachine, median } from './machine.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 500);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const EMPTY_CALLS = Number(process.env.BENCH_EMPTY_CALLS ?? 500);
const MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 64);
const PAGE_SIZE = 100;

/** The platform's default limits, so the figures are those of a plugin without `limits` (unless BENCH_MEMORY_MB is set). */
const SETTINGS: SandboxConfig = {
  defaults: { memoryMb: MEMORY_MB, cpuTimeMs: 1000, wallTimeMs: 30_000 },
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

/**
 * Returns the CPU time the benchmark process and the sandbox worker have used so far, in
 * milliseconds. Unlike elapsed time it hardly changes when other work loads the machine.
 * Isolates run on threads of isolated-vm's pool, so the worker's figure sums the schedstat
 * of all its threads. It is Linux only, and null where /proc is missing.
 */
function cpuTimes(workerPid: number | undefined): { host: number; worker: number | null } {
  const host = process.cpuUsage();
  let worker: number | null = null;
  try {
    if (workerPid !== undefined) {
      worker = 0;
      for (const thread of readdirSync(`/proc/${workerPid}/task`)) {
        worker += Number(readFileSync(`/proc/${workerPid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      }
    }
  } catch {
    worker = null;
  }
  return { host: (host.user + host.system) / 1000, worker };
}

/** Sums the garbage collection pauses of this process, in milliseconds, while it observes. */
function gcPauses() {
  const pauses = { totalMs: 0, count: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.totalMs += entry.duration;
      pauses.count += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { pauses, stop: () => observer.disconnect() };
}

/** CPU time of the benchmark process and of the worker per call, in microseconds. */
interface CpuPerCall {
  host: number;
  worker: number | null;
}

/** Returns the CPU time per call since `before`, spread over `calls` calls. */
function cpuPerCallSince(before: ReturnType<typeof cpuTimes>, workerPid: number | undefined, calls: number): CpuPerCall {
  const after = cpuTimes(workerPid);
  const worker = before.worker === null || after.worker === null ? null : ((after.worker - before.worker) * 1000) / calls;
  return { host: ((after.host - before.host) * 1000) / calls, worker };
}

/** Builds a connection's context as a sync passes it. The transform makes no host call, so it needs no HTTP client or credentials. */
function connectionContext(): ConnectorContext {
  return { connectionId: 'conn_bench', config: {}, credentials: {}, logger: createLogger({ level: 'silent' }) } as unknown as ConnectorContext;
}

async function timeEmptyCalls(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await call();
    durations.push(performance.now() - started);
  }
  return durations;
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
  console.log(`command: node --import tsx test/bench/plugin-transform.ts (rounds ${ROUNDS}, memoryMb ${MEMORY_MB}, pages ${PAGES} of ${PAGE_SIZE} records per path and round, warm-up ${WARMUP}, empty calls ${EMPTY_CALLS}; medians over rounds)`);

  const pages = buildPages();
  const plugin = await loadPluginBundle(FIXTURES_DIR, { entry: 'bench-transform-plugin.ts', capabilities: [] });
  const connector: PluginConnector = { id: 'bench', plugin };
  const times = isolateTimes();
  const host = new SandboxHost({ settings: SETTINGS, logger: times.logger });
  const context = connectionContext();
  const inSandbox = (records: unknown[]) => host.call(connector, 'transformPage', records, { context });
  const inHost = (records: unknown[]) => shapeContacts(records);

  const gc = gcPauses();
  try {
    await timePages(WARMUP, pages, inSandbox);
    await timePages(WARMUP, pages, inHost);

    const sandboxRates: number[] = [];
    const hostRates: number[] = [];
    const sandboxPageMs: number[] = [];
    const hostPageMs: number[] = [];
    const emptyMs: number[] = [];
    const freshEmptyMs: number[] = [];
    const connectionEmptyMs: number[] = [];
    const isolateEmptyMs: number[] = [];
    const gcPerPage: { microseconds: number; count: number }[] = [];
    const cpu = { page: [] as CpuPerCall[], empty: [] as CpuPerCall[], freshEmpty: [] as CpuPerCall[], connectionEmpty: [] as CpuPerCall[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round runs both paths, so drift on the machine affects both alike.
      const gcBefore = { ...gc.pauses };
      let before = cpuTimes(host.workerPid);
      const sandbox = await timePages(PAGES, pages, inSandbox);
      cpu.page.push(cpuPerCallSince(before, host.workerPid, PAGES));
      // The observer reports in a later task, so the pauses of the sandbox pages are read before the host pages run.
      await new Promise((resolve) => setImmediate(resolve));
      gcPerPage.push({ microseconds: ((gc.pauses.totalMs - gcBefore.totalMs) * 1000) / PAGES, count: (gc.pauses.count - gcBefore.count) / PAGES });
      const hosted = await timePages(PAGES, pages, inHost);
      sandboxRates.push((PAGES * PAGE_SIZE) / (sandbox.reduce((sum, value) => sum + value, 0) / 1000));
      hostRates.push((PAGES * PAGE_SIZE) / (hosted.reduce((sum, value) => sum + value, 0) / 1000));
      sandboxPageMs.push(...sandbox);
      hostPageMs.push(...hosted);

      times.wallMs.length = 0;
      before = cpuTimes(host.workerPid);
      emptyMs.push(...(await timeEmptyCalls(EMPTY_CALLS, () => host.call(connector, 'transformPage', [], { context }))));
      cpu.empty.push(cpuPerCallSince(before, host.workerPid, EMPTY_CALLS));
      isolateEmptyMs.push(...times.wallMs);

      before = cpuTimes(host.workerPid);
      freshEmptyMs.push(...(await timeEmptyCalls(EMPTY_CALLS, () => host.call(connector, 'transformPage', []))));
      cpu.freshEmpty.push(cpuPerCallSince(before, host.workerPid, EMPTY_CALLS));

      before = cpuTimes(host.workerPid);
      connectionEmptyMs.push(...(await timeEmptyCalls(EMPTY_CALLS, () => host.call(connector, 'transformPage', [], { connectionId: 'conn_bench' }))));
      cpu.connectionEmpty.push(cpuPerCallSince(before, host.workerPid, EMPTY_CALLS));
    }
    const medianCpu = (values: CpuPerCall[]) => ({
      host: Math.round(median(values.map((value) => value.host))),
      worker: values.some((value) => value.worker === null) ? null : Math.round(median(values.map((value) => value.worker!))),
    });

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
            freshRealmRoundTrip: { p50: fixed(percentile(freshEmptyMs, 0.5)), p99: fixed(percentile(freshEmptyMs, 0.99)) },
            connectionRealmRoundTrip: { p50: fixed(percentile(connectionEmptyMs, 0.5)), p99: fixed(percentile(connectionEmptyMs, 0.99)) },
          },
          hostGcPerSandboxPage: { pauseMicroseconds: Math.round(median(gcPerPage.map((value) => value.microseconds))), collections: fixed(median(gcPerPage.map((value) => value.count)), 2) },
          cpuMicrosecondsPerCall: { pageOf100: medianCpu(cpu.page), warmEmptyCall: medianCpu(cpu.empty), freshRealmEmptyCall: medianCpu(cpu.freshEmpty), connectionRealmEmptyCall: medianCpu(cpu.connectionEmpty) },
        },
        null,
        2,
      ),
    );
  } finally {
    gc.stop();
    await host.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
