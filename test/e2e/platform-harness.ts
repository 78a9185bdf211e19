import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { startPlatform, type RunningPlatform } from '../../platform/src/app/index.js';
import { loadConfig } from '../../platform/src/config/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { OpenStoreOptions } from '../../platform/src/store/index.js';

export const CONNECTORS_DIR = fileURLToPath(new URL('../../connectors', import.meta.url));

export interface TestPlatform {
  platform: RunningPlatform;
  url: string;
  apiKey: string;
  /** Calls the platform's API with the admin key and parses the JSON response. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface StartTestPlatformOptions {
  store: OpenStoreOptions;
  connectorsDir?: string;
  /** Whether connector requests may reach loopback, where the simulators listen. Default true. */
  allowPrivateNetwork?: boolean;
  /** More platform settings, such as LUMIO_WEBHOOK_RATE_PER_SECOND, as environment variables. */
  env?: Record<string, string>;
}

/**
 * Starts the real platform on a free loopback port with the given database, loopback
 * destinations allowed (the simulators listen there) and the demo sandbox off.
 */
export async function startTestPlatform(options: StartTestPlatformOptions): Promise<TestPlatform> {
  const apiKey = `test_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig(
    {
      PORT: '0',
      LUMIO_DATA_DIR: options.store.dataDir,
      DATABASE_URL: options.store.databaseUrl,
      LUMIO_ADMIN_API_KEY: apiKey,
      LUMIO_CONNECTORS_DIR: options.connectorsDir ?? CONNECTORS_DIR,
      LUMIO_DEMO: 'false',
      LUMIO_ALLOW_PRIVATE_NETWORK: String(options.allowPrivateNetwork ?? true),
      LOG_LEVEL: 'silent',
      // Tests poll the API in tight loops with one key; the per-key limit has its own suite.
      LUMIO_API_RATE_PER_SECOND: '100000',
      LUMIO_API_RATE_BURST: '100000',
      ...options.env,
    },
    process.cwd(),
  );
  const platform = await startPlatform(config, silentLogger);

  const call: TestPlatform['call'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };

  return { platform, url: platform.url, apiKey, call, close: () => platform.close() };
}

/** Status snapshots seen while polling, so a test can check progress was reported live. */
export interface RunWatch {
  snapshots: any[];
  final: any;
}

/** Polls the status endpoint until the connection's run ends, keeping every snapshot. */
export async function watchRun(test: TestPlatform, integration: string, timeoutMs = 120_000, intervalMs = 25): Promise<RunWatch> {
  const snapshots: any[] = [];
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    const { body } = await test.call('GET', `/v1/integrations/${integration}/status`);
    snapshots.push(body);
    if (body.status !== 'syncing') return { snapshots, final: body };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`The sync of ${integration} did not finish within ${timeoutMs} ms.`);
}

/** Reads every record of an object through the REST API, following the cursor. */
export async function readAllRecords(test: TestPlatform, integration: string, object: string, includeDeleted = true): Promise<any[]> {
  const records: any[] = [];
  let cursor: string | null = null;

  do {
    const query = new URLSearchParams({ integration, object, limit: '1000', includeDeleted: String(includeDeleted) });
    if (cursor) query.set('cursor', cursor);
    const { status, body } = await test.call('GET', `/v1/records?${query}`);
    if (status !== 200) throw new Error(`GET /v1/records answered ${status}: ${JSON.stringify(body)}`);
    records.push(...body.records);
    cursor = body.nextCursor;
  } while (cursor);

  return records;
}
