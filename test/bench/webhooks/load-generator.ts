/**
 * Load generator of the webhook intake benchmark, run as its own process so that building,
 * signing and timing deliveries does not share an event loop with the server measured.
 *
 *   node --import tsx test/bench/webhooks/load-generator.ts '<LoadGeneratorConfig as JSON>'
 *
 * It keeps `connections` keep-alive connections busy, each sending one signed delivery
 * after another, for `warmupMs` (not counted) and then `durationMs` (counted). Each delivery
 * has a new event id and order, and a body of exactly `bodyBytes` bytes. The last line it
 * prints is a LoadReport as JSON.
 */
import { Pool } from 'undici';

import { buildFixtureDelivery, deliveryHeaders } from '../../webhooks/crash/fixture-connector.js';

export interface LoadGeneratorConfig {
  /** Webhook URL of the target. */
  url: string;
  secret: string;
  runId: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  bodyBytes: number;
}

export interface LoadReport {
  /** Deliveries that got a 2xx response in the measured window. */
  delivered: number;
  /** Deliveries that got another status, or no response, in the measured window. */
  errors: number;
  /** Deliveries that got a 2xx response over the whole run, warm-up included. */
  totalDelivered: number;
  /** Count of each non-2xx status, or network error code, in the measured window. */
  errorKinds: Record<string, number>;
  seconds: number;
  deliveriesPerSecond: number;
  /** Latency from sending the request to reading the whole response, over 2xx deliveries, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** An attempt waits at most this long for its response, so a stalled target cannot hang the run. */
const REQUEST_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as LoadGeneratorConfig;
  const target = new URL(config.url);
  const pool = new Pool(target.origin, { connections: config.connections, pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });

  const started = performance.now();
  const measureFrom = started + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let sequence = 0;
  let totalDelivered = 0;

  const sender = async () => {
    while (performance.now() < stopAt) {
      sequence += 1;
      const body = buildBody(config.runId, sequence, config.bodyBytes);
      const eventId = `evt-${config.runId}-${sequence}`;
      const sentAt = performance.now();
      const outcome = await send(pool, target.pathname, deliveryHeaders(config.secret, eventId, body), body);
      const doneAt = performance.now();
      if (outcome === 'ok') totalDelivered += 1;

      if (sentAt < measureFrom || doneAt > stopAt) continue;
      if (outcome === 'ok') latencies.push(doneAt - sentAt);
      else errorKinds[outcome] = (errorKinds[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: config.connections }, sender));
  await pool.close();

  const sorted = Float64Array.from(latencies).sort();
  const seconds = config.durationMs / 1000;
  const report: LoadReport = {
    delivered: sorted.length,
    errors: Object.values(errorKinds).reduce((sum, count) => sum + count, 0),
    totalDelivered,
    errorKinds,
    seconds,
    deliveriesPerSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
  console.log(JSON.stringify(report));
}

/** Returns 'ok' for a 2xx, else the status or the network error code. */
async function send(pool: Pool, path: string, headers: Record<string, string>, body: string): Promise<string> {
  try {
    const response = await pool.request({ method: 'POST', path, headers, body });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300 ? 'ok' : String(response.statusCode);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'network error';
  }
}

/** Serializes the order of delivery `sequence`, its note padded so the body is `bodyBytes` long. */
function buildBody(runId: string, sequence: number, bodyBytes: number): string {
  const unpadded = JSON.stringify(buildFixtureDelivery(runId, sequence, 0).order);
  const padding = Math.max(0, bodyBytes - Buffer.byteLength(unpadded));
  return JSON.stringify(buildFixtureDelivery(runId, sequence, padding).order);
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
