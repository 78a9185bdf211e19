import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startSandboxProcess } from '../../../platform/src/demo/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { createTemporaryDatabase, type DatabaseKind } from '../../store/temporary-database.js';
import { FIXTURE_CONNECTOR_ID, writeFixtureConnector } from '../../webhooks/crash/fixture-connector.js';
import { findFreePort, PlatformProcess } from '../../webhooks/crash/platform-process.js';
import { countOpen, readEventCounts, readProcessCpuSeconds, waitForNoOpenEvents } from './platform-usage.js';

const BASELINE_SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));

/** A server the load generator sends to, and how to stop it. */
export interface BenchTarget {
  webhookUrl: string;
  /** The platform's own measurements; the baseline has none. */
  platform?: PlatformUsage;
  stop(): Promise<void>;
}

/** Progress of the platform's worker, read after the load ended. */
export interface WorkerCatchUp {
  /** Events stored during the run. */
  stored: number;
  /** Events the worker had not finished when the load ended. */
  openAtEnd: number;
  /** Time from the end of the load until no event was open, in milliseconds; null when it did not get there in time. */
  catchUpMs: number | null;
}

export interface PlatformUsage {
  /** CPU time the platform process used so far, in seconds, or undefined without /proc. */
  cpuSeconds(): Promise<number | undefined>;
  /** Counts what the worker left open at the end of the load, then waits up to `timeoutMs` for it to finish. */
  waitForWorker(timeoutMs: number): Promise<WorkerCatchUp>;
}

/** Starts the bare HMAC-checking server in its own process. */
export async function startBaselineTarget(secret: string): Promise<BenchTarget> {
  const server = await startSandboxProcess({ entry: BASELINE_SERVER, args: [secret], logger: silentLogger });
  return { webhookUrl: `${server.url}/webhooks/baseline`, stop: () => server.stop() };
}

export interface PlatformTargetOptions {
  kind: DatabaseKind;
  secret: string;
  /** Redis server for the PostgreSQL run, as in production. */
  redisUrl?: string;
  /** Folder for a `--cpu-prof` profile of the platform process; no profile when absent. */
  cpuProfileDir?: string;
}

/**
 * Starts the platform's `start` command in a child process on a new temporary database,
 * connects the fixture connector with `secret` as its webhook secret, and returns the
 * connection's webhook URL. Stopping it deletes the database.
 */
export async function startPlatformTarget(options: PlatformTargetOptions): Promise<BenchTarget> {
  const database = await createTemporaryDatabase(options.kind);
  const connectorsDir = await mkdtemp(path.join(tmpdir(), 'lumio-bench-connectors-'));
  await writeFixtureConnector(connectorsDir);

  const platform = new PlatformProcess({
    port: await findFreePort(),
    dataDir: database.options.dataDir,
    databaseUrl: database.options.databaseUrl,
    redisUrl: options.redisUrl,
    connectorsDir,
    // The endpoint limit protects a connection from floods; the benchmark measures throughput past it.
    env: { LUMIO_WEBHOOK_RATE_PER_SECOND: '1000000', NODE_ENV: 'production' },
    nodeFlags: options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [],
  });
  const cleanUp = async () => {
    await platform.stop();
    await database.dispose();
    await rm(connectorsDir, { recursive: true, force: true });
  };

  try {
    await platform.start();
    const connect = await platform.call('POST', `/v1/integrations/${FIXTURE_CONNECTOR_ID}/connect`, { credentials: { apiKey: 'unused' }, config: {}, webhookSecrets: [options.secret], test: false });
    if (connect.status !== 200) throw new Error(`connect returned ${connect.status}: ${JSON.stringify(connect.body)}`);
    const usage: PlatformUsage = {
      cpuSeconds: () => readProcessCpuSeconds(platform.pid),
      async waitForWorker(timeoutMs) {
        const atEnd = await readEventCounts(platform, FIXTURE_CONNECTOR_ID);
        const settled = await waitForNoOpenEvents(platform, FIXTURE_CONNECTOR_ID, timeoutMs);
        const stored = Object.values(settled.counts).reduce((sum, count) => sum + count, 0);
        return { stored, openAtEnd: countOpen(atEnd), catchUpMs: countOpen(settled.counts) === 0 ? settled.waitedMs : null };
      },
    };
    return { webhookUrl: connect.body.webhookUrl, platform: usage, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
