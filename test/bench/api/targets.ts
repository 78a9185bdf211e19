import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startSandboxProcess } from '../../../platform/src/demo/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { createTemporaryDatabase, type DatabaseKind } from '../../store/temporary-database.js';
import { findFreePort, PlatformProcess } from '../../webhooks/crash/platform-process.js';
import { readProcessCpuSeconds } from '../webhooks/platform-usage.js';
import { syncHubSpotContacts } from './hubspot-setup.js';

const BASELINE_SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));
const CONNECTORS_DIR = fileURLToPath(new URL('../../../connectors', import.meta.url));

/** A server the load generator sends to, and how to stop it. */
export interface ReadTarget {
  origin: string;
  /** Headers every request to this target carries besides Accept-Encoding, such as the API key. */
  headers: Record<string, string>;
  /** CPU time (user and system) the target's process used so far, in seconds, or undefined when unknown. */
  cpuSeconds(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Starts the express baseline in its own process, returning `bodies` (route path to parsed JSON). */
export async function startBaselineTarget(bodies: Record<string, unknown>): Promise<ReadTarget> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lumio-bench-bodies-'));
  const bodiesFile = path.join(folder, 'bodies.json');
  await writeFile(bodiesFile, JSON.stringify(bodies));

  try {
    const server = await startSandboxProcess({ entry: BASELINE_SERVER, args: [bodiesFile], logger: silentLogger });
    const cpuSeconds = async () => {
      const response = await fetch(`${server.url}/__bench/cpu`);
      return ((await response.json()) as { cpuSeconds: number }).cpuSeconds;
    };
    const stop = async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    };
    return { origin: server.url, headers: {}, cpuSeconds, stop };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

export interface PlatformTargetOptions {
  kind: DatabaseKind;
  /** HubSpot simulator to sync contacts from, and the token it accepts. */
  simulatorUrl: string;
  simulatorToken: string;
  /** LUMIO_API_RATE_PER_SECOND and LUMIO_API_RATE_BURST for the run. */
  apiRatePerSecond: number;
  apiRateBurst: number;
  /** Folder for a `--cpu-prof` profile of the platform process; no profile when absent. */
  cpuProfileDir?: string;
}

/** The platform target, with the process for reading the bodies the benchmark captures. */
export interface PlatformTarget extends ReadTarget {
  platform: PlatformProcess;
  /** Number of contacts the full sync inserted. */
  recordsSynced: number;
}

/**
 * Starts the platform's `start` command in a child process on a new temporary database, with
 * the default `info` log level and the per-key rate limit raised, then connects HubSpot to the
 * simulator and syncs its contacts in full. Stopping it deletes the database.
 */
export async function startPlatformTarget(options: PlatformTargetOptions): Promise<PlatformTarget> {
  const database = await createTemporaryDatabase(options.kind);
  const platform = new PlatformProcess({
    port: await findFreePort(),
    dataDir: database.options.dataDir,
    databaseUrl: database.options.databaseUrl,
    connectorsDir: CONNECTORS_DIR,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      // The per-key limit (50/s by default) would reject most of the load. It is a limit, not a cost measured here.
      LUMIO_API_RATE_PER_SECOND: String(options.apiRatePerSecond),
      LUMIO_API_RATE_BURST: String(options.apiRateBurst),
      // The simulator listens on loopback, which connector HTTP may reach only with this on.
      LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
    },
    nodeFlags: options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [],
  });
  const stop = async () => {
    await platform.stop();
    await database.dispose();
  };

  try {
    await platform.start();
    const recordsSynced = await syncHubSpotContacts(platform, options.simulatorUrl, options.simulatorToken);
    return {
      origin: platform.url,
      headers: { authorization: `Bearer ${platform.apiKey}` },
      cpuSeconds: () => readProcessCpuSeconds(platform.pid),
      stop,
      platform,
      recordsSynced,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
