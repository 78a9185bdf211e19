import { randomBytes } from 'node:crypto';

import { startPlatform } from '../../platform/src/app/index.js';
import { loadConfig } from '../../platform/src/config/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import type { OpenStoreOptions } from '../../platform/src/store/index.js';
import { CONNECTORS_DIR, type TestPlatform } from '../e2e/platform-harness.js';

export interface LoggedPlatform extends TestPlatform {
  /** Every log record the platform wrote, parsed, oldest first. */
  logs: Record<string, any>[];
  /** The raw log text, to search for strings that must never be written. */
  logText(): string;
}

/**
 * Starts the real platform on a free loopback port, like `startTestPlatform`, but with a
 * pino logger at `info` whose output the test reads.
 */
export async function startLoggedPlatform(store: OpenStoreOptions, env: Record<string, string> = {}): Promise<LoggedPlatform> {
  const apiKey = `test_${randomBytes(24).toString('base64url')}`;
  const lines: string[] = [];
  const logs: Record<string, any>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        lines.push(line);
        logs.push(JSON.parse(line) as Record<string, any>);
      },
    },
  });

  const config = loadConfig(
    {
      PORT: '0',
      LUMIO_DATA_DIR: store.dataDir,
      DATABASE_URL: store.databaseUrl,
      LUMIO_ADMIN_API_KEY: apiKey,
      LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
      LUMIO_DEMO: 'false',
      LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
      ...env,
    },
    process.cwd(),
  );
  const platform = await startPlatform(config, logger);

  const call: TestPlatform['call'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };

  return { platform, url: platform.url, apiKey, call, close: () => platform.close(), logs, logText: () => lines.join('') };
}
