/**
 * Webhook intake benchmark: signed 1 KB deliveries per second and latency to the 2xx at
 * the platform's webhook router, from a load generator in a second process over loopback.
 *
 *   node --import tsx test/bench/webhook-intake.ts
 *   LUMIO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres LUMIO_TEST_REDIS_URL=redis://127.0.0.1:6379 \
 *     node --import tsx test/bench/webhook-intake.ts
 *
 * Targets, each in its own child process and measured in the same run:
 * - baseline: a bare node:http server that checks the same HMAC on the raw body and responds
 *   with 200 without parsing or storing anything;
 * - the platform (`start` command) on SQLite;
 * - the platform on PostgreSQL with Redis, when both variables above are set.
 * The platform stores each delivery and its event before the 2xx, and its worker processes
 * the stored events in the background during the run, as in production. After the load,
 * the benchmark waits for the worker to process every stored event. It prints how many were
 * still open when the load ended and how long the worker took to finish them. It also prints
 * the platform process's CPU time per delivery (intake and worker, read from /proc on Linux).
 *
 * Options (environment): BENCH_CONNECTIONS concurrent keep-alive connections (default 16),
 * BENCH_WARMUP_MS (default 2000), BENCH_DURATION_MS measured time per target (default 10000),
 * BENCH_BODY_BYTES (default 1024), BENCH_CPU_PROFILE_DIR to write a `--cpu-prof` profile of
 * each platform process there.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import type { DatabaseKind } from '../store/temporary-database.js';
import { createRunId } from '../webhooks/crash/fixture-connector.js';
import { runWorkerProcess } from '../services/support/worker-process.js';
import { describeMachine } from './machine.js';
import { startBaselineTarget, startPlatformTarget, type BenchTarget, type WorkerCatchUp } from './webhooks/targets.js';
import type { LoadGeneratorConfig, LoadReport } from './webhooks/load-generator.js';

const LOAD_GENERATOR = fileURLToPath(new URL('./webhooks/load-generator.ts', import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const BODY_BYTES = Number(process.env.BENCH_BODY_BYTES ?? 1_024);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR || undefined;
const POSTGRES_URL = process.env.LUMIO_TEST_DATABASE_URL || undefined;
const REDIS_URL = process.env.LUMIO_TEST_REDIS_URL || undefined;

/** Targets: 2,000 deliveries/s on SQLite with p99 under 25 ms, and at least 0.25 of the baseline's rate. */
const TARGET_SQLITE_RATE = 2_000;
const TARGET_SQLITE_P99_MS = 25;
const TARGET_RATIO = 0.25;

/** How long the worker may take after the load to process what the run stored. */
const CATCH_UP_TIMEOUT_MS = 120_000;

interface TargetResult {
  target: string;
  report: LoadReport;
  /** The platform's worker after the load, and the platform's CPU time per delivery. */
  worker?: WorkerCatchUp & { cpuMicrosPerDelivery: number | null };
}

async function measure(name: string, start: () => Promise<BenchTarget>, secret: string): Promise<TargetResult> {
  const target = await start();
  try {
    const config: LoadGeneratorConfig = { url: target.webhookUrl, secret, runId: createRunId(), connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, bodyBytes: BODY_BYTES };
    const cpuBefore = await target.platform?.cpuSeconds();
    // The generator gets its own time plus a margin to start and report before it is killed.
    const run = await runWorkerProcess<LoadReport>(LOAD_GENERATOR, config, WARMUP_MS + DURATION_MS + 60_000);
    if (run.exitCode !== 0 || !run.report) throw new Error(`The load generator for ${name} exited with code ${run.exitCode}:\n${run.stderr}`);
    console.log(`  ${name}: ${Math.round(run.report.deliveriesPerSecond)} deliveries/s, p50 ${run.report.p50Ms.toFixed(2)} ms, p99 ${run.report.p99Ms.toFixed(2)} ms, errors ${run.report.errors}`);
    if (!target.platform) return { target: name, report: run.report };

    // CPU from the first delivery until the worker finished the last one, so the figure
    // covers the intake and the worker for every delivery of the run, warm-up included.
    const catchUp = await target.platform.waitForWorker(CATCH_UP_TIMEOUT_MS);
    const cpuAfter = await target.platform.cpuSeconds();
    const cpuMicrosPerDelivery = cpuBefore === undefined || cpuAfter === undefined || run.report.totalDelivered === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / run.report.totalDelivered;
    console.log(
      `  ${name} worker: ${catchUp.stored} events stored, ${catchUp.openAtEnd} open when the load ended, ` +
        `${catchUp.catchUpMs === null ? `still open after ${CATCH_UP_TIMEOUT_MS / 1000} s` : `all processed ${(catchUp.catchUpMs / 1000).toFixed(1)} s later`}; ` +
        `platform CPU ${cpuMicrosPerDelivery === null ? 'unknown' : `${Math.round(cpuMicrosPerDelivery)} µs`} per delivery (intake and worker)`,
    );
    return { target: name, report: run.report, worker: { ...catchUp, cpuMicrosPerDelivery } };
  } finally {
    await target.stop();
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  // Other processes on the machine take CPU from both the targets and the load generator.
  console.log(`load average at start: ${loadavg().map((load) => load.toFixed(2)).join(', ')}`);
  console.log(`command: node --import tsx test/bench/webhook-intake.ts (connections ${CONNECTIONS}, warm-up ${WARMUP_MS} ms, measured ${DURATION_MS} ms, body ${BODY_BYTES} bytes)`);

  const secret = randomBytes(24).toString('base64url');
  const kinds: DatabaseKind[] = POSTGRES_URL && REDIS_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  if (kinds.length === 1) console.log('PostgreSQL skipped: set LUMIO_TEST_DATABASE_URL and LUMIO_TEST_REDIS_URL to include it.');

  const baseline = await measure('baseline', () => startBaselineTarget(secret), secret);
  const platforms: Array<TargetResult & { kind: DatabaseKind }> = [];
  for (const kind of kinds) {
    const redisUrl = kind === 'postgres' ? REDIS_URL : undefined;
    const result = await measure(`platform ${kind}`, () => startPlatformTarget({ kind, secret, redisUrl, cpuProfileDir: CPU_PROFILE_DIR }), secret);
    platforms.push({ ...result, kind });
  }

  console.log('');
  console.log('| target | deliveries/s | p50 ms | p99 ms | errors | ratio to baseline | target met |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (result: TargetResult, ratio: string, met: string) =>
    `| ${result.target} | ${Math.round(result.report.deliveriesPerSecond)} | ${result.report.p50Ms.toFixed(2)} | ${result.report.p99Ms.toFixed(2)} | ${result.report.errors} | ${ratio} | ${met} |`;
  console.log(row(baseline, '1.00', '-'));

  const summaries = platforms.map((result) => {
    const ratio = result.report.deliveriesPerSecond / baseline.report.deliveriesPerSecond;
    const meetsSqlite = result.kind !== 'sqlite' || (result.report.deliveriesPerSecond >= TARGET_SQLITE_RATE && result.report.p99Ms < TARGET_SQLITE_P99_MS);
    const caughtUp = result.worker?.catchUpMs !== null;
    const met = meetsSqlite && ratio >= TARGET_RATIO && result.report.errors === 0 && caughtUp;
    console.log(row(result, ratio.toFixed(2), met ? 'yes' : 'no'));
    const worker = result.worker && {
      openAtEnd: result.worker.openAtEnd,
      catchUpMs: result.worker.catchUpMs === null ? null : Math.round(result.worker.catchUpMs),
      cpuMicrosPerDelivery: result.worker.cpuMicrosPerDelivery === null ? null : Math.round(result.worker.cpuMicrosPerDelivery),
    };
    return { database: result.kind, ...roundReport(result.report), ratio: Number(ratio.toFixed(2)), worker, meetsTarget: met };
  });

  console.log(`targets: at least ${TARGET_SQLITE_RATE} deliveries/s on SQLite with p99 under ${TARGET_SQLITE_P99_MS} ms, no errors, ratio at least ${TARGET_RATIO}, and the worker processed every stored event within ${CATCH_UP_TIMEOUT_MS / 1000} s of the load's end`);
  for (const result of [baseline, ...platforms]) {
    if (result.report.errors > 0) console.log(`${result.target} errors by kind: ${JSON.stringify(result.report.errorKinds)}`);
  }
  console.log(JSON.stringify({ benchmark: 'webhook-intake', connections: CONNECTIONS, durationMs: DURATION_MS, bodyBytes: BODY_BYTES, baseline: roundReport(baseline.report), results: summaries }));
}

function roundReport(report: LoadReport) {
  return { deliveriesPerSecond: Math.round(report.deliveriesPerSecond), p50Ms: Number(report.p50Ms.toFixed(2)), p99Ms: Number(report.p99Ms.toFixed(2)), errors: report.errors };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
