/**
 * Request pipeline overhead benchmark: the time the shared services (rate limiter, circuit
 * breaker, retry wrapper, response cache) add to one provider request. The baseline is the
 * same request sent with the platform's http client alone, to the same loopback server in
 * the same run. A second baseline sends it with Node.js's global `fetch` and reads the JSON
 * body. It also times a response served from the cache through the pipeline, and reports
 * the CPU time of this process per request of each path.
 *
 *   node --import tsx test/bench/pipeline-overhead.ts
 *   LUMIO_TEST_REDIS_URL=redis://127.0.0.1:6379 node --import tsx test/bench/pipeline-overhead.ts
 *
 * Without LUMIO_TEST_REDIS_URL it measures the in-process services only; with it, also the
 * Redis-backed ones, and as their floor a bare round trip to the same Redis server (EVALSHA
 * of a one-line GET script on a client of its own). Options (environment): BENCH_ROUNDS (default 5), BENCH_REQUESTS per
 * path and round (default 2000), BENCH_WARMUP requests per path (default 2000).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Redis } from 'ioredis';

import type { ConnectorManifest } from '@lumio/plugin-sdk';

import { createHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from '../../platform/src/http/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { ConnectorContext, RequestInfo } from '../../platform/src/runtime/index.js';
import { startSharedServices, type SharedServices } from '../../platform/src/services/pipeline/index.js';
import { buildHubSpotContext, createRunId, deriveTestAccountKey, loadHubSpotManifest } from '../services/support/pipeline-hubspot.js';
import { deleteRunKeys, openRedis, REDIS_URL } from '../services/support/pipeline-redis.js';
import { describeMachine } from './machine.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
const TOKEN = 'bench-token';
const RESPONSE_BODY = JSON.stringify({ id: '101', properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' } });

/** Targets: the pipeline adds at most 50 µs at the median, and a cache hit takes under 50 µs. */
const TARGET_ADDED_US = 50;
const TARGET_CACHE_HIT_US = 50;

type PathName = 'plain' | 'fetch' | 'pipelineCacheMiss' | 'pipelineCacheMissBucket' | 'pipelineUncached' | 'pipelineCacheHit' | 'redisRoundTrip';

const PATH_LABELS: Record<PathName, string> = {
  plain: 'plain `http.send` (baseline)',
  fetch: 'global `fetch` with `response.json()` (second baseline)',
  pipelineCacheMiss: 'pipeline, sliding window, cacheable get, cache miss',
  pipelineCacheMissBucket: 'pipeline, token bucket, cacheable get, cache miss',
  pipelineUncached: 'pipeline, sliding window, list request (no cache lookup)',
  pipelineCacheHit: 'pipeline, cache hit (L1)',
  redisRoundTrip: 'Redis round trip alone: EVALSHA of a one-line GET script (floor, no HTTP)',
};
const ALL_PATHS = Object.keys(PATH_LABELS) as PathName[];

/** A script as small as a script can be, so its round trip is the floor of any Redis-backed path. */
const FLOOR_SCRIPT = "return redis.call('GET', KEYS[1])";

interface PathFigures {
  path: PathName;
  medianUs: number;
  p99Us: number;
  /** Median of this path minus the median of the plain path, in microseconds. */
  addedAtMedianUs: number | null;
  /** Median of this path minus the median of the fetch path, in microseconds. */
  addedOverFetchUs: number | null;
  /** Lowest and highest median of one round, in microseconds. */
  roundMedianRangeUs: [number, number];
  /**
   * CPU time (user and system) of this process per timed request, in microseconds. It
   * includes the loopback server's share, and with Redis it leaves out the Redis server's.
   * Other load on the machine usually moves it less than it moves latency.
   */
  cpuPerRequestUs: number;
}

interface ModeResult {
  mode: 'in-process' | 'redis';
  figures: PathFigures[];
  /** Entries in the sliding-window budget at the end of the mode, as the limiter reports them. */
  windowEntries: number;
  addedTargetMet: boolean;
  cacheHitTargetMet: boolean;
}

/** Starts a loopback server that returns the same small JSON body for every request. */
async function startFixedServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RESPONSE_BODY) }).end(RESPONSE_BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Returns the HubSpot manifest with one ample budget, which no run reaches, and a cache
 * lifetime for contacts, so `get` reads go through the cache. The sliding window keeps
 * the manifest's algorithm and interval. It contains one entry per request of the last
 * 10 s: thousands in this benchmark, at most 100 under HubSpot's real budget. The token
 * bucket keeps no entries.
 */
function buildBenchManifest(algorithm: 'slidingWindow' | 'tokenBucket'): ConnectorManifest {
  const manifest = loadHubSpotManifest();
  manifest.rateLimits = {
    ...manifest.rateLimits,
    budgets: [{ name: 'burst', scope: 'account', algorithm, limit: 1_000_000, intervalMs: 10_000 }],
  };
  manifest.objects.contacts!.cacheTtlSeconds = 300;
  return manifest;
}

interface Bench {
  http: HttpClient;
  /** Context whose budget is the ample sliding window. */
  ctx: ConnectorContext;
  /** Context of another connection and account whose budget is the ample token bucket. */
  bucketCtx: ConnectorContext;
  services: SharedServices;
  serverUrl: string;
  /** Last record number used in a URL, so every cache miss request names a record not requested before. */
  nextRecord: number;
  /** Client and script SHA1 of the floor path; absent in the in-process mode, which skips that path. */
  floor?: { redis: Redis; sha1: string; key: string };
}

const GET_INFO: RequestInfo = { operation: 'get', object: 'contacts' };
const LIST_INFO: RequestInfo = { operation: 'list', object: 'contacts' };

function buildRequest(bench: Bench, record: number): HttpRequest {
  return { method: 'GET', url: `${bench.serverUrl}/crm/v3/objects/contacts/${record}`, headers: { authorization: `Bearer ${TOKEN}` } };
}

/** Sends one request with Node.js's global `fetch` and reads its JSON body, as a caller without the platform would. */
async function sendWithFetch(request: HttpRequest): Promise<{ status: number }> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers });
  await response.json();
  return { status: response.status };
}

/**
 * Sends one request along `path` and returns its status. Every path but the cache hit
 * requests a new record, so cache lookups miss and the server sees the same URL shapes.
 */
function sendAlong(bench: Bench, path: PathName): Promise<Pick<HttpResponse, 'status'>> {
  const { http, ctx, services } = bench;
  if (path === 'redisRoundTrip') return sendFloorScript(bench.floor!);
  if (path === 'pipelineCacheHit') {
    const request = buildRequest(bench, 1);
    return services.pipeline.run(ctx, request, GET_INFO, () => http.send(request));
  }

  bench.nextRecord += 1;
  const request = buildRequest(bench, bench.nextRecord);
  const send = () => http.send(request);
  if (path === 'plain') return send();
  if (path === 'fetch') return sendWithFetch(request);
  if (path === 'pipelineCacheMiss') return services.pipeline.run(ctx, request, GET_INFO, send);
  if (path === 'pipelineCacheMissBucket') return services.pipeline.run(bench.bucketCtx, request, GET_INFO, send);
  return services.pipeline.run(ctx, request, LIST_INFO, send);
}

/** Runs the floor script once; its key never exists, so Redis returns nil. */
async function sendFloorScript(floor: NonNullable<Bench['floor']>): Promise<{ status: number }> {
  await floor.redis.evalsha(floor.sha1, 1, floor.key);
  return { status: 200 };
}

/** Sends `count` sequential requests along `path` and returns each one's latency in microseconds. */
async function timePath(bench: Bench, path: PathName, count: number): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const response = await sendAlong(bench, path);
    latencies[index] = (performance.now() - started) * 1000;
    if (response.status !== 200) throw new Error(`The ${path} request returned HTTP ${response.status}.`);
  }
  return latencies;
}

/** Returns the value at `fraction` of an ascending array (nearest rank: 0.5 gives the lower middle value). */
function percentile(sorted: Float64Array, fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

async function measureMode(mode: ModeResult['mode'], serverUrl: string, runId: string): Promise<ModeResult> {
  const services = await startSharedServices({ redisUrl: mode === 'redis' ? REDIS_URL : undefined, logger: silentLogger });
  // Until the invalidation subscription is up, every cache lookup reads generations from Redis.
  await services.cache.ready();
  const http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-bench', logger: silentLogger });
  const buildContext = (algorithm: 'slidingWindow' | 'tokenBucket') =>
    buildHubSpotContext({
      manifest: buildBenchManifest(algorithm),
      baseUrl: serverUrl,
      token: TOKEN,
      http,
      logger: silentLogger,
      connectionId: `conn_bench_${mode}_${algorithm}_${runId}`,
      accountKey: deriveTestAccountKey(TOKEN, `${mode}-${algorithm}-${runId}`),
      services: services.pipeline,
    });
  const ctx = buildContext('slidingWindow');
  const bench: Bench = { http, ctx, bucketCtx: buildContext('tokenBucket'), services, serverUrl, nextRecord: 1 };
  const PATHS = mode === 'redis' ? ALL_PATHS : ALL_PATHS.filter((path) => path !== 'redisRoundTrip');
  if (mode === 'redis') {
    const redis = await openRedis(REDIS_URL!);
    bench.floor = { redis, sha1: (await redis.script('LOAD', FLOOR_SCRIPT)) as string, key: `lumio:bench:floor:${runId}` };
  }

  try {
    for (const path of PATHS) await timePath(bench, path, WARMUP);

    const samples = new Map<PathName, Float64Array[]>(PATHS.map((path) => [path, []]));
    const cpuMicros = new Map<PathName, number>(PATHS.map((path) => [path, 0]));
    // Rounds alternate the paths and rotate their order, so drift on the machine affects all alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = PATHS.map((_, index) => PATHS[(index + round) % PATHS.length]!);
      for (const path of order) {
        const cpuBefore = process.cpuUsage();
        samples.get(path)!.push(await timePath(bench, path, REQUESTS));
        const cpu = process.cpuUsage(cpuBefore);
        cpuMicros.set(path, cpuMicros.get(path)! + cpu.user + cpu.system);
      }
    }

    const plainMedian = percentile(concatenate(samples.get('plain')!).sort(), 0.5);
    const fetchMedian = percentile(concatenate(samples.get('fetch')!).sort(), 0.5);
    const figures = PATHS.map((path): PathFigures => {
      const rounds = samples.get(path)!;
      const sorted = concatenate(rounds).sort();
      const medianUs = percentile(sorted, 0.5);
      const roundMedians = rounds.map((latencies) => percentile(latencies.slice().sort(), 0.5));
      const isPipelineSend = path !== 'plain' && path !== 'fetch' && path !== 'pipelineCacheHit' && path !== 'redisRoundTrip';
      return {
        path,
        medianUs,
        p99Us: percentile(sorted, 0.99),
        addedAtMedianUs: isPipelineSend ? medianUs - plainMedian : null,
        addedOverFetchUs: isPipelineSend ? medianUs - fetchMedian : null,
        roundMedianRangeUs: [Math.min(...roundMedians), Math.max(...roundMedians)],
        cpuPerRequestUs: cpuMicros.get(path)! / (ROUNDS * REQUESTS),
      };
    });

    const added = figures.find((figure) => figure.path === 'pipelineCacheMiss')!.addedAtMedianUs!;
    const cacheHit = figures.find((figure) => figure.path === 'pipelineCacheHit')!.medianUs;
    const [window] = await services.limiter.snapshot(ctx.connectionId!);
    return {
      mode,
      figures,
      windowEntries: window?.used ?? 0,
      addedTargetMet: added <= TARGET_ADDED_US,
      cacheHitTargetMet: cacheHit < TARGET_CACHE_HIT_US,
    };
  } finally {
    await http.close();
    await services.close();
    await bench.floor?.redis.quit();
  }
}

function concatenate(arrays: Float64Array[]): Float64Array {
  const joined = new Float64Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    joined.set(array, offset);
    offset += array.length;
  }
  return joined;
}

function printMode(result: ModeResult): void {
  console.log('');
  console.log(`${result.mode === 'redis' ? 'Redis-backed services' : 'in-process services'}:`);
  console.log('| path | median µs | p99 µs | added at median µs | added over fetch µs | round medians µs | CPU µs per request |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const figure of result.figures) {
    const added = figure.addedAtMedianUs === null ? '' : figure.addedAtMedianUs.toFixed(1);
    const overFetch = figure.addedOverFetchUs === null ? '' : figure.addedOverFetchUs.toFixed(1);
    const [low, high] = figure.roundMedianRangeUs;
    console.log(`| ${PATH_LABELS[figure.path]} | ${figure.medianUs.toFixed(1)} | ${figure.p99Us.toFixed(1)} | ${added} | ${overFetch} | ${low.toFixed(1)} to ${high.toFixed(1)} | ${figure.cpuPerRequestUs.toFixed(1)} |`);
  }
  console.log(`entries in the sliding-window budget at the end: ${result.windowEntries}`);
  const bucketAdded = result.figures.find((figure) => figure.path === 'pipelineCacheMissBucket')?.addedAtMedianUs ?? Number.NaN;
  console.log(
    `target at most ${TARGET_ADDED_US} µs added at the median, sliding-window cache miss path: ${result.addedTargetMet ? 'met' : 'not met'} (token bucket cache miss path: ${bucketAdded.toFixed(1)} µs added)`,
  );
  console.log(`target cache hit under ${TARGET_CACHE_HIT_US} µs at the median: ${result.cacheHitTargetMet ? 'met' : 'not met'}`);
}

async function main(): Promise<void> {
  const prefix = REDIS_URL ? `LUMIO_TEST_REDIS_URL=${REDIS_URL} ` : '';
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${prefix}node --import tsx test/bench/pipeline-overhead.ts (warm-up ${WARMUP} per path, ${ROUNDS} rounds × ${REQUESTS} sequential requests per path, paths alternated)`);

  const runId = createRunId();
  const server = await startFixedServer();
  const results: ModeResult[] = [];
  try {
    results.push(await measureMode('in-process', server.url, runId));
    printMode(results[0]!);
    if (REDIS_URL) {
      results.push(await measureMode('redis', server.url, runId));
      printMode(results[1]!);
    } else {
      console.log('');
      console.log('Redis-backed services: skipped (set LUMIO_TEST_REDIS_URL to measure them)');
    }
  } finally {
    await server.close();
    if (REDIS_URL) {
      const redis = await openRedis(REDIS_URL);
      await deleteRunKeys(redis, runId);
      await redis.quit();
    }
  }

  console.log(JSON.stringify({ benchmark: 'pipeline-overhead', rounds: ROUNDS, requestsPerRound: REQUESTS, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
