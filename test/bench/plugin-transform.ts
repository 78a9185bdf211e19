/**
 * Plugin transform benchmark: a transformPage hook over pages of 100 HubSpot contacts in
 * the sandbox (worker process, isolated-vm isolate, JSON copies both ways), against the
 * same transform function called in the host, in the same run. The pages are sent with one
 * connection context, as a sync sends them, so they share a warm realm.
 *
 * It also times warm calls of the hook with an empty page, which is the fixed cost of one
 * sandbox call. It times them first as a series of calls on their own, then right after
 * each round of pages, when garbage collection of the pages may still run. After the pages it
 * also times calls without a context, where every call gets a fresh realm, and calls
 * without one but with a stored connection id, as the webhook intake can pass it. CPU time
 * per call of both processes is printed too. The host's includes the debug log line per
 * call from which the benchmark reads the time spent inside the isolate. The garbage
 * collection pauses of the benchmark process per page are printed as well, from
 * PerformanceObserver's "gc" entries.
 *
 * Before all that, plugins/isolate-copy-floor.ts measures in a child process what copying
 * a page into an isolate and back costs with nothing else, next to the transform in that
 * process. transform / (transform + copy) is the best ratio any isolated-vm sandbox could
 * reach for this transform, and the output prints it as bestPossibleRatio.
 *
 *   node --import tsx test/bench/plugin-transform.ts
 *
 * Options (environment): BENCH_ROUNDS (default 5), BENCH_PAGES per round and path
 * (default 500), BENCH_WARMUP pages (default 200), BENCH_EMPTY_CALLS per kind and round after
 * the pages (default 500), BENCH_SERIES_CALLS per round of the series (default 2000),
 * BENCH_MEMORY_MB, the plugin's memory limit in MB (default 64, the platform default).
 *
 * isolated-vm 5.0.4 has no option for the young generation. It sizes it from the memory
 * limit alone, as 2^(min(4, memoryMb / 128) + 10) KB (src/isolate/environment.cc), so
 * 64 MB gives about 1.4 MB and 512 MB gives 16 MB. BENCH_MEMORY_MB is therefore also the
 * way to measure a larger young generation.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { SandboxConfig } from '../../platform/src/config/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext } from '../../platform/src/runtime/index.js';
import { loadPluginBundle, SandboxHost, type PluginConnector } from '../../platform/src/sandbox/index.js';
import { shapeContacts } from '../sandbox/fixtures/shape-contacts.js';
import { FIXTURES_DIR } from '../sandbox/support/plugin-connectors.js';
import { describeMachine, median } from './machine.js';
import { buildContactPages, PAGE_SIZE } from './plugins/contact-pages.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 500);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const EMPTY_CALLS = Number(process.env.BENCH_EMPTY_CALLS ?? 500);
const MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 64);
const SERIES_CALLS = Number(process.env.BENCH_SERIES_CALLS ?? 2000);

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

/** Runs isolate-copy-floor.ts in a child process with the flag isolated-vm needs, and returns its figures. */
function measureCopyFloor(): { transformUs: number; copyUs: number } {
  const script = fileURLToPath(new URL('./plugins/isolate-copy-floor.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const output = execFileSync(process.execPath, ['--no-node-snapshot', '--import', tsx, script], { env: { ...process.env, BENCH_ROUNDS: String(ROUNDS), BENCH_PAGES: String(PAGES) }, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as { transformUs: number; copyUs: number };
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  console.log(
    `command: node --import tsx test/bench/plugin-transform.ts (rounds ${ROUNDS}, memoryMb ${MEMORY_MB}, pages ${PAGES} of ${PAGE_SIZE} records per path and round, warm-up ${WARMUP}, empty calls ${EMPTY_CALLS} per kind and round, series ${SERIES_CALLS} per round; medians over rounds)`,
  );

  // The floor runs first and alone, so the sandbox worker's threads do not share the cores with it.
  const floor = measureCopyFloor();

  const pages = buildContactPages();
  const plugin = await loadPluginBundle(FIXTURES_DIR, { entry: 'bench-transform-plugin.ts', capabilities: [] });
  const connector: PluginConnector = { id: 'bench', plugin };
  const times = isolateTimes();
  const host = new SandboxHost({ settings: SETTINGS, logger: times.logger });
  const context = connectionContext();
  const inSandbox = (records: unknown[]) => host.call(connector, 'transformPage', records, { context });
  const inHost = (records: unknown[]) => shapeContacts(records);
  const warmEmptyCall = () => host.call(connector, 'transformPage', [], { context });

  const gc = gcPauses();
  try {
    await timePages(WARMUP, pages, inSandbox);
    await timePages(WARMUP, pages, inHost);
    await timeEmptyCalls(SERIES_CALLS, warmEmptyCall);

    // Warm empty calls one after another, with no page in between: the fixed cost of a call on its own.
    const seriesMs: number[] = [];
    const seriesP99: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const series = await timeEmptyCalls(SERIES_CALLS, warmEmptyCall);
      seriesMs.push(...series);
      seriesP99.push(percentile(series, 0.99));
    }

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

      // These calls follow the pages at once, so collection of the pages' garbage may still run in either process.
      times.wallMs.length = 0;
      before = cpuTimes(host.workerPid);
      emptyMs.push(...(await timeEmptyCalls(EMPTY_CALLS, warmEmptyCall)));
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
    const spread = (values: number[]) => ({ p50: fixed(percentile(values, 0.5)), p99: fixed(percentile(values, 0.99)) });
    console.log(
      JSON.stringify(
        {
          recordsPerSecond: { sandbox: Math.round(sandboxRate), host: Math.round(hostRate), sandboxToHostRatio: fixed(sandboxRate / hostRate, 4) },
          roundRecordsPerSecond: { sandbox: sandboxRates.map(Math.round), host: hostRates.map(Math.round) },
          pageOf100Ms: { sandbox: spread(sandboxPageMs), host: spread(hostPageMs) },
          copyFloorPerPage: {
            transformInHostUs: fixed(floor.transformUs, 1),
            copyIntoIsolateAndBackUs: fixed(floor.copyUs, 1),
            bestPossibleRatio: fixed(floor.transformUs / (floor.transformUs + floor.copyUs)),
          },
          warmEmptyCallMs: {
            series: { ...spread(seriesMs), roundP99: seriesP99.map((value) => fixed(value)) },
            afterPages: spread(emptyMs),
            insideIsolateAfterPages: spread(isolateEmptyMs),
            freshRealmRoundTrip: spread(freshEmptyMs),
            connectionRealmRoundTrip: spread(connectionEmptyMs),
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
