// One process of the token refresh race test. It opens the shared store, prints a
// "ready" line and waits for "go" on standard input. Then it makes `calls` concurrent
// refresh calls for one connection with the same stale access token, and prints one
// JSON line with the access tokens it got back. Run as
// `node --import tsx token-refresh-worker.ts '<config JSON>'`.
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createHttpClient } from '../../../platform/src/http/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { createDatabaseLock, createRedisLock, type DistributedLock } from '../../../platform/src/services/locks/index.js';
import { createTokenRefresher } from '../../../platform/src/services/token-refresh/index.js';
import { openStore } from '../../../platform/src/store/index.js';
import { buildAuthorizationCodeMethod, buildManifest, createTestCipher } from '../token-refresh-support.js';

export interface RaceWorkerConfig {
  workerId: number;
  /** Where the shared store is: the PostgreSQL URL, or the folder of the SQLite file. */
  databaseUrl?: string;
  dataDir: string;
  /** The test's credential key as hex, so this process can decrypt what the test stored. */
  keyHex: string;
  connectionId: string;
  tokenUrl: string;
  calls: number;
  staleAccessToken: string;
  lock: { kind: 'redis'; redisUrl: string; keyPrefix: string } | { kind: 'database' };
}

export interface RaceWorkerReport {
  workerId: number;
  accessTokens: string[];
  errors: string[];
}

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'go') break;
  }
  lines.close();
}

async function run(config: RaceWorkerConfig): Promise<RaceWorkerReport> {
  const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir, logger: silentLogger });
  const http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-token-refresh-race', logger: silentLogger, timeoutMs: 5000 });
  const redis = config.lock.kind === 'redis' ? new Redis(config.lock.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const lock: DistributedLock =
    redis && config.lock.kind === 'redis'
      ? createRedisLock({ redis, keyPrefix: config.lock.keyPrefix, logger: silentLogger, retryDelayMs: 20 })
      : createDatabaseLock({ locks: store.locks, logger: silentLogger, retryDelayMs: 20 });
  const refresher = createTokenRefresher({ store, cipher: createTestCipher(config.keyHex), lock, http, logger: silentLogger, lockWaitMs: 10_000 });
  const method = buildAuthorizationCodeMethod(config.tokenUrl, { refresh: { rotatesRefreshToken: true } });
  const report: RaceWorkerReport = { workerId: config.workerId, accessTokens: [], errors: [] };

  try {
    await redis?.ping();
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    await waitForGo();

    const results = await Promise.allSettled(
      Array.from({ length: config.calls }, () =>
        refresher.refresh(config.connectionId, buildManifest(), method, { reason: 'expired', staleAccessToken: config.staleAccessToken }),
      ),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') report.accessTokens.push(result.value.accessToken ?? '');
      else report.errors.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
    }
  } finally {
    await http.close();
    await store.close();
    await redis?.quit();
  }
  return report;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RaceWorkerConfig;
const report = await run(config);
process.stdout.write(`${JSON.stringify(report)}\n`);
