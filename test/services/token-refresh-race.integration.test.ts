import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialCipher } from '../../platform/src/security/index.js';
import type { Store } from '../../platform/src/store/index.js';
import { createOAuthTokenSimulator, type OAuthTokenSimulator } from '../simulators/oauth/index.js';
import { forEachDatabase, type TestDatabase } from '../store/databases.js';
import { createKeyPrefix, deleteKeys, openRedis, REDIS_URL } from './rate-limit-support.js';
import type { RaceWorkerConfig, RaceWorkerReport } from './support/token-refresh-worker.js';
import { CLIENT, createOAuthConnection, createTestCipher, createTestKeyHex } from './token-refresh-support.js';

const REPOSITORY_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WORKER_SCRIPT = fileURLToPath(new URL('./support/token-refresh-worker.ts', import.meta.url));

/** Calls per process: 7 + 7 + 6 = 20 concurrent refreshes in three processes. */
const CALLS_PER_WORKER = [7, 7, 6];
/** Time a worker gets to start (tsx compiles on load) and open the store. */
const READY_TIMEOUT_MS = 20_000;
/** Time the refresh calls get once every worker has started. */
const RUN_TIMEOUT_MS = 15_000;
/** Delay of the token response, so the other processes are waiting on the lock while it is held. */
const TOKEN_DELAY_MS = 200;

interface WorkerRun {
  exitCode: number | null;
  report?: RaceWorkerReport;
  stderr: string;
}

interface StartedWorker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  finished: Promise<WorkerRun>;
}

function startWorker(config: RaceWorkerConfig): StartedWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, JSON.stringify(config)], { cwd: REPOSITORY_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (stdout.includes('"ready":true')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // A worker that hangs is ended by its own pid, so the test stays bounded.
  const killer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS + RUN_TIMEOUT_MS);

  const finished = new Promise<WorkerRun>((resolve) => {
    child.on('close', (exitCode) => {
      clearTimeout(killer);
      markReady();
      const lastLine = stdout.trim().split('\n').at(-1);
      let report: RaceWorkerReport | undefined;
      try {
        report = lastLine ? (JSON.parse(lastLine) as RaceWorkerReport) : undefined;
      } catch {
        report = undefined;
      }
      resolve({ exitCode, report: report && 'accessTokens' in report ? report : undefined, stderr });
    });
  });
  return { child, ready, finished };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms.`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function defineRace(database: TestDatabase, lockKind: 'database' | 'redis'): void {
  let store: Store;
  let cipher: CredentialCipher;
  let keyHex: string;
  const keyPrefix = createKeyPrefix();

  beforeAll(async () => {
    store = await database.openStore();
    keyHex = createTestKeyHex();
    cipher = createTestCipher(keyHex);
  });

  afterAll(async () => {
    if (lockKind !== 'redis' || !REDIS_URL) return;
    const redis = await openRedis(REDIS_URL);
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it(
    'refreshes once for 20 calls',
    async () => {
      // Rotation makes a second refresh with the old refresh token fail with invalid_grant,
      // so a lost race would also show up as errors.
      const simulator: OAuthTokenSimulator = createOAuthTokenSimulator({ clients: [CLIENT], rotateRefreshTokens: true, delayMs: TOKEN_DELAY_MS });
      const running = await simulator.start();
      try {
        const issued = simulator.authorize(CLIENT.clientId, ['contacts']);
        const connection = await createOAuthConnection(store, cipher, { accessToken: issued.accessToken, refreshToken: issued.refreshToken!, expiresAt: String(Date.now() - 1000), ...CLIENT });
        const { databaseUrl, dataDir } = database.storeOptions();

        const workers = CALLS_PER_WORKER.map((calls, workerId) =>
          startWorker({
            workerId,
            ...(databaseUrl ? { databaseUrl } : {}),
            dataDir,
            keyHex,
            connectionId: connection.id,
            tokenUrl: running.tokenUrl,
            calls,
            staleAccessToken: issued.accessToken,
            lock: lockKind === 'redis' ? { kind: 'redis', redisUrl: REDIS_URL!, keyPrefix } : { kind: 'database' },
          }),
        );
        await withTimeout(Promise.all(workers.map((worker) => worker.ready)), READY_TIMEOUT_MS, 'Starting the workers');
        for (const worker of workers) worker.child.stdin.end('go\n');
        const runs = await withTimeout(Promise.all(workers.map((worker) => worker.finished)), RUN_TIMEOUT_MS, 'The refresh calls');

        const tokens = runs.flatMap((run) => run.report?.accessTokens ?? []);
        const storedEnvelope = await store.credentials.getEncrypted(connection.id);
        const stored = cipher.decrypt(connection.id, storedEnvelope!);
        for (const run of runs) {
          expect(run.stderr).toBe('');
          expect(run.exitCode).toBe(0);
          expect(run.report?.errors).toEqual([]);
        }
        expect(simulator.refreshCount).toBe(1);
        expect(tokens).toHaveLength(20);
        expect(new Set(tokens)).toEqual(new Set([simulator.lastAccessToken]));
        expect(stored.accessToken).toBe(simulator.lastAccessToken);
        expect(simulator.isRefreshTokenValid(stored.refreshToken as string)).toBe(true);
        expect(simulator.isAccessTokenValid(stored.accessToken as string)).toBe(true);
      } finally {
        await running.close();
      }
    },
    READY_TIMEOUT_MS + RUN_TIMEOUT_MS + 5_000,
  );
}

forEachDatabase((database) => {
  describe('token refresh race with the database lock', () => defineRace(database, 'database'));

  describe.skipIf(!REDIS_URL)(REDIS_URL ? 'token refresh race with the Redis lock' : 'token refresh race with the Redis lock (skipped: set LUMIO_TEST_REDIS_URL to run)', () =>
    defineRace(database, 'redis'),
  );
});
