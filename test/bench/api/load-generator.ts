/**
 * Load generator of the API read benchmark, run as its own process so that sending and timing
 * requests does not share an event loop with the server measured.
 *
 *   node --import tsx test/bench/api/load-generator.ts '<ReadLoadConfig as JSON>'
 *
 * It keeps `connections` keep-alive connections busy, each sending the same GET after the
 * previous response was read, for `warmupMs` (not counted) and then `durationMs` (counted).
 * The last line it prints is a ReadLoadReport as JSON.
 */
import { Pool } from 'undici';

export interface ReadLoadConfig {
  /** Origin of the target, such as http://127.0.0.1:41234. */
  origin: string;
  /** Path with its query string, such as /v1/records?object=contact&limit=50. */
  path: string;
  /** Headers sent with every request, such as Authorization and Accept-Encoding. */
  headers: Record<string, string>;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface ReadLoadReport {
  /** Requests that got a 200 response in the measured window. */
  ok: number;
  /** Requests that got another status, or no response, in the measured window. */
  errors: number;
  /** Requests that got a 200 response over the whole run, warm-up included. */
  totalOk: number;
  /** Count of each status other than 200, or network error code, in the measured window. */
  errorKinds: Record<string, number>;
  requestsPerSecond: number;
  /** Latency from sending the request to reading the whole response, over 200 responses, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Size of the last 200 response body as received (after any content coding), in bytes. */
  responseBytes: number;
  /** Content-Encoding of the last 200 response, or null when it was sent uncompressed. */
  contentEncoding: string | null;
}

/** A request waits at most this long for its response, so a stalled target cannot hang the run. */
const REQUEST_TIMEOUT_MS = 10_000;

interface Outcome {
  /** 'ok' for a 200, else the status or the network error code. */
  kind: string;
  bytes: number;
  encoding: string | null;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ReadLoadConfig;
  const pool = new Pool(config.origin, { connections: config.connections, pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });

  const started = performance.now();
  const measureFrom = started + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let last: Outcome | undefined;
  let totalOk = 0;

  const sender = async () => {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      const outcome = await send(pool, config.path, config.headers);
      const doneAt = performance.now();
      if (outcome.kind === 'ok') {
        last = outcome;
        totalOk += 1;
      }

      // Only requests sent and completed inside the measured window count.
      if (sentAt < measureFrom || doneAt > stopAt) continue;
      if (outcome.kind === 'ok') latencies.push(doneAt - sentAt);
      else errorKinds[outcome.kind] = (errorKinds[outcome.kind] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: config.connections }, sender));
  await pool.close();

  const sorted = Float64Array.from(latencies).sort();
  const report: ReadLoadReport = {
    ok: sorted.length,
    errors: Object.values(errorKinds).reduce((sum, count) => sum + count, 0),
    totalOk,
    errorKinds,
    requestsPerSecond: sorted.length / (config.durationMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
    responseBytes: last?.bytes ?? 0,
    contentEncoding: last?.encoding ?? null,
  };
  console.log(JSON.stringify(report));
}

async function send(pool: Pool, path: string, headers: Record<string, string>): Promise<Outcome> {
  try {
    const response = await pool.request({ method: 'GET', path, headers });
    // The whole body is read, as a client would, so large responses cost their transfer time.
    let bytes = 0;
    for await (const chunk of response.body) bytes += (chunk as Buffer).byteLength;

    const encoding = response.headers['content-encoding'];
    return { kind: response.statusCode === 200 ? 'ok' : String(response.statusCode), bytes, encoding: typeof encoding === 'string' ? encoding : null };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { kind: typeof code === 'string' ? code : 'network error', bytes: 0, encoding: null };
  }
}

/** Returns the nearest-rank percentile of sorted values, or 0 when there are none. */
function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
