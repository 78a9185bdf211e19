/**
 * API read benchmark: requests per second and latency of `GET /v1/integrations` and
 * `GET /v1/records?object=contact&limit=50` under concurrent load, from a load generator in a
 * second process over keep-alive connections on loopback.
 *
 *   node --import tsx test/bench/api-reads.ts
 *   LUMIO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx test/bench/api-reads.ts
 *
 * Targets, each in its own child process and measured in the same run:
 * - the platform (`start` command, NODE_ENV=production) on SQLite, with a HubSpot connection
 *   whose contacts were synced in full from the HubSpot simulator. Requests carry a real API
 *   key and pass authentication, the permission check, the request validator, compression and
 *   the logger at the default `info` level, which writes no line for a successful request
 *   (request lines are `debug`). Its log goes to a pipe that this process reads;
 * - the platform on PostgreSQL, when LUMIO_TEST_DATABASE_URL is set;
 * - baseline: an express 5 app whose two handlers return the JSON bodies captured from the
 *   SQLite platform before the load, with no authentication and no database.
 * The per-key rate limit of the platform is raised for the run, because it is a limit and not
 * a cost, and the output prints the values used.
 *
 * Options (environment): BENCH_CONNECTIONS concurrent keep-alive connections (default 16),
 * BENCH_WARMUP_MS (default 2000), BENCH_DURATION_MS measured time per target and endpoint
 * (default 8000), BENCH_CONTACTS contacts synced (default 2000), BENCH_ENDPOINTS to measure
 * only some endpoints (`integrations`, `records`, separated by commas), BENCH_ACCEPT_ENCODING sent
 * with every request (default none, so neither target compresses), BENCH_CPU_PROFILE_DIR to
 * write a `--cpu-prof` profile of each platform process there.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import type { DatabaseKind } from '../store/temporary-database.js';
import { runWorkerProcess } from '../services/support/worker-process.js';
import type { ReadLoadConfig, ReadLoadReport } from './api/load-generator.js';
import { startBaselineTarget, startPlatformTarget, type PlatformTarget, type ReadTarget } from './api/targets.js';
import { describeMachine } from './machine.js';
import { startSimulatorProcess } from './simulator-process.js';

const LOAD_GENERATOR = fileURLToPath(new URL('./api/load-generator.ts', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 2_000);
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING || undefined;
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR || undefined;
const POSTGRES_URL = process.env.LUMIO_TEST_DATABASE_URL || undefined;

const SIMULATOR_TOKEN = 'bench-token';
/** Per-key limit for the run: the highest the platform accepts, so no request of the load is rejected by it. */
const API_RATE = 1_000_000;
const PAGE_SIZE = 50;

/** Target: the platform reaches at least 0.40 of the baseline's requests/s on each endpoint. */
const TARGET_RATIO = 0.4;

interface Endpoint {
  name: string;
  /** Route path the baseline serves. */
  route: string;
  /** Path with query string the load generator requests. */
  path: string;
}

const ALL_ENDPOINTS: Record<string, Endpoint> = {
  integrations: { name: 'GET /v1/integrations', route: '/v1/integrations', path: '/v1/integrations' },
  records: { name: 'GET /v1/records', route: '/v1/records', path: `/v1/records?object=contact&limit=${PAGE_SIZE}` },
};
const ENDPOINTS = selectEndpoints(process.env.BENCH_ENDPOINTS);

/** Returns the endpoints BENCH_ENDPOINTS names (keys of ALL_ENDPOINTS, separated by commas), or all of them when it is unset. */
function selectEndpoints(names: string | undefined): Endpoint[] {
  if (!names) return Object.values(ALL_ENDPOINTS);
  return names.split(',').map((name) => {
    const endpoint = ALL_ENDPOINTS[name.trim()];
    if (!endpoint) throw new Error(`BENCH_ENDPOINTS names an unknown endpoint "${name}"; use ${Object.keys(ALL_ENDPOINTS).join(', ')}, separated by commas.`);
    return endpoint;
  });
}

interface Measurement {
  target: string;
  endpoint: string;
  report: ReadLoadReport;
  /** CPU time of the target's process per 200 response, warm-up included, in microseconds. */
  cpuMicrosPerRequest: number | null;
}

async function measure(name: string, target: ReadTarget, endpoint: Endpoint): Promise<Measurement> {
  const headers = { ...target.headers, ...(ACCEPT_ENCODING ? { 'accept-encoding': ACCEPT_ENCODING } : {}) };
  const config: ReadLoadConfig = { origin: target.origin, path: endpoint.path, headers, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS };

  const cpuBefore = await target.cpuSeconds();
  // The generator gets its own time plus a margin to start and report before it is killed.
  const run = await runWorkerProcess<ReadLoadReport>(LOAD_GENERATOR, config, WARMUP_MS + DURATION_MS + 60_000);
  const cpuAfter = await target.cpuSeconds();
  if (run.exitCode !== 0 || !run.report) throw new Error(`The load generator for ${name}, ${endpoint.name} exited with code ${run.exitCode}:\n${run.stderr}`);

  const report = run.report;
  const cpuMicrosPerRequest = cpuBefore === undefined || cpuAfter === undefined || report.totalOk === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / report.totalOk;
  console.log(
    `  ${name}, ${endpoint.name}: ${Math.round(report.requestsPerSecond)} requests/s, p50 ${report.p50Ms.toFixed(2)} ms, p99 ${report.p99Ms.toFixed(2)} ms, ` +
      `errors ${report.errors}, ${report.responseBytes} bytes per response${report.contentEncoding ? ` (${report.contentEncoding})` : ''}, ` +
      `CPU ${cpuMicrosPerRequest === null ? 'unknown' : `${Math.round(cpuMicrosPerRequest)} µs`} per request`,
  );
  return { target: name, endpoint: endpoint.name, report, cpuMicrosPerRequest };
}

/** Reads each endpoint's decoded body from the platform and checks that the records page is full. */
async function captureBodies(platform: PlatformTarget): Promise<Record<string, unknown>> {
  const bodies: Record<string, unknown> = {};
  for (const endpoint of ENDPOINTS) {
    const response = await platform.platform.call('GET', endpoint.path);
    if (response.status !== 200) throw new Error(`${endpoint.name} returned ${response.status} before the load: ${JSON.stringify(response.body)}`);
    bodies[endpoint.route] = response.body;
  }

  const records = (bodies['/v1/records'] as { records: unknown[] } | undefined)?.records;
  if (records && records.length !== PAGE_SIZE) throw new Error(`GET /v1/records returned ${records.length} records, not a full page of ${PAGE_SIZE}; the sync stored ${platform.recordsSynced}.`);
  return bodies;
}

/** Checks that the baseline returns the captured bodies, so both targets serialize the same JSON. */
async function checkBaselineBodies(baseline: ReadTarget, bodies: Record<string, unknown>): Promise<void> {
  for (const endpoint of ENDPOINTS) {
    const response = await fetch(`${baseline.origin}${endpoint.path}`);
    const body: unknown = await response.json();
    if (response.status !== 200 || !isDeepStrictEqual(body, bodies[endpoint.route])) {
      throw new Error(`The baseline returned ${response.status} and a body other than the platform's for ${endpoint.name}.`);
    }
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  // Other processes on the machine take CPU from both the targets and the load generator.
  console.log(`load average at start: ${loadavg().map((load) => load.toFixed(2)).join(', ')}`);
  console.log(`command: node --import tsx test/bench/api-reads.ts (connections ${CONNECTIONS}, warm-up ${WARMUP_MS} ms, measured ${DURATION_MS} ms per target and endpoint, contacts ${CONTACTS})`);
  console.log(`per-key API rate limit raised for the run: LUMIO_API_RATE_PER_SECOND=${API_RATE} LUMIO_API_RATE_BURST=${API_RATE} (default 50/s, burst 100)`);
  console.log(
    ACCEPT_ENCODING
      ? `Accept-Encoding: ${ACCEPT_ENCODING}; the platform compresses bodies over 1 KiB and the baseline never does, so this compares unlike work`
      : 'Accept-Encoding: none, so neither target compresses (the platform then leaves each body unread)',
  );

  console.log('platform log level: info (the default), which writes no line for a successful request');

  const kinds: DatabaseKind[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  if (kinds.length === 1) console.log('PostgreSQL skipped: set LUMIO_TEST_DATABASE_URL to include it.');

  const targets: Array<{ name: string; target: ReadTarget }> = [];
  try {
    // The simulator is needed only for the syncs, so it stops before the load starts.
    const simulator = await startSimulatorProcess(CONTACTS, SIMULATOR_TOKEN);
    const platforms: PlatformTarget[] = [];
    try {
      for (const kind of kinds) {
        const platform = await startPlatformTarget({ kind, simulatorUrl: simulator.url, simulatorToken: SIMULATOR_TOKEN, apiRatePerSecond: API_RATE, apiRateBurst: API_RATE, cpuProfileDir: CPU_PROFILE_DIR });
        platforms.push(platform);
        targets.push({ name: `platform ${kind}`, target: platform });
        console.log(`  platform ${kind}: ${platform.recordsSynced} contacts synced`);
      }
    } finally {
      await simulator.stop();
    }

    const bodies = await captureBodies(platforms[0]!);
    const baseline = await startBaselineTarget(bodies);
    targets.unshift({ name: 'baseline', target: baseline });
    await checkBaselineBodies(baseline, bodies);

    // One target is under load at a time while the others wait idle.
    const measurements: Measurement[] = [];
    for (const endpoint of ENDPOINTS) {
      for (const { name, target } of targets) measurements.push(await measure(name, target, endpoint));
    }
    printSummary(measurements);
  } finally {
    for (const { target } of targets) await target.stop();
  }
  if (CPU_PROFILE_DIR) console.log(`CPU profiles of the platform processes written to ${CPU_PROFILE_DIR}`);
}

function printSummary(measurements: Measurement[]): void {
  console.log('');
  console.log('| endpoint | target | requests/s | p50 ms | p99 ms | errors | CPU µs per request | ratio to baseline | target met |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');

  const results = measurements.map((measurement) => {
    const baseline = measurements.find((other) => other.endpoint === measurement.endpoint && other.target === 'baseline')!;
    const ratio = measurement.report.requestsPerSecond / baseline.report.requestsPerSecond;
    const isBaseline = measurement === baseline;
    const met = ratio >= TARGET_RATIO && measurement.report.errors === 0;
    const { report } = measurement;
    const cpu = measurement.cpuMicrosPerRequest === null ? 'unknown' : String(Math.round(measurement.cpuMicrosPerRequest));
    console.log(
      `| ${measurement.endpoint} | ${measurement.target} | ${Math.round(report.requestsPerSecond)} | ${report.p50Ms.toFixed(2)} | ${report.p99Ms.toFixed(2)} | ${report.errors} | ${cpu} | ${isBaseline ? '1.00' : ratio.toFixed(2)} | ${isBaseline ? '-' : met ? 'yes' : 'no'} |`,
    );
    return {
      endpoint: measurement.endpoint,
      target: measurement.target,
      requestsPerSecond: Math.round(report.requestsPerSecond),
      p50Ms: Number(report.p50Ms.toFixed(2)),
      p99Ms: Number(report.p99Ms.toFixed(2)),
      errors: report.errors,
      responseBytes: report.responseBytes,
      cpuMicrosPerRequest: measurement.cpuMicrosPerRequest === null ? null : Math.round(measurement.cpuMicrosPerRequest),
      ratio: Number(ratio.toFixed(2)),
      meetsTarget: isBaseline ? null : met,
    };
  });

  for (const measurement of measurements) {
    if (measurement.report.errors > 0) console.log(`${measurement.target}, ${measurement.endpoint} errors by kind: ${JSON.stringify(measurement.report.errorKinds)}`);
  }
  const platformResults = results.filter((result) => result.meetsTarget !== null);
  const allMet = platformResults.every((result) => result.meetsTarget);
  console.log(`target: the platform reaches at least ${TARGET_RATIO} of the baseline's requests/s on each endpoint with no errors: ${allMet ? 'met' : 'not met'}`);
  console.log(JSON.stringify({ benchmark: 'api-reads', connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, contacts: CONTACTS, acceptEncoding: ACCEPT_ENCODING ?? null, targetMet: allMet, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  // Exit code 1 means the benchmark could not run. A missed target exits with 0.
  process.exit(1);
});
