import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import { startPlatform, type RunningPlatform } from '../../../platform/src/app/index.js';
import { loadConfig } from '../../../platform/src/config/index.js';
import { createLogger } from '../../../platform/src/observability/index.js';
import type { OpenStoreOptions } from '../../../platform/src/store/index.js';
import { CONNECTORS_DIR } from '../../e2e/platform-harness.js';
import { send, type ApiReply, type Principal } from './api-client.js';
import { TEST_SCRYPT_COST } from './tenant.js';

/** A response the test received, kept so the suite can search every one of them afterwards. */
export interface Exchange {
  method: string;
  path: string;
  reply: ApiReply;
  /** Secrets this response may show in its body: the new key of `POST /v1/api-keys`, the login's CSRF token. */
  allowedInBody: string[];
  /** Secrets this response may show in its headers: the session cookie of the login. */
  allowedInHeaders: string[];
}

export interface CapturedPlatform {
  platform: RunningPlatform;
  url: string;
  /** The admin key of the default workspace, registered from LUMIO_ADMIN_API_KEY. */
  admin: Principal;
  /** Every log line the platform wrote, at trace level. */
  logLines: string[];
  exchanges: Exchange[];
  /** Sends a request and records the response. `allowed` lists the secrets this one response may show. */
  call(principal: Principal | null, method: string, path: string, body?: unknown, allowed?: Partial<Pick<Exchange, 'allowedInBody' | 'allowedInHeaders'>>): Promise<ApiReply>;
  close(): Promise<void>;
}

/** Starts the platform on loopback with a pino logger at trace level whose every line the test keeps. */
export async function startCapturedPlatform(store: OpenStoreOptions): Promise<CapturedPlatform> {
  const adminKey = `test_${randomBytes(24).toString('base64url')}`;
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });

  const config = loadConfig(
    {
      PORT: '0',
      LUMIO_DATA_DIR: store.dataDir,
      DATABASE_URL: store.databaseUrl,
      LUMIO_ADMIN_API_KEY: adminKey,
      LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
      LUMIO_DEMO: 'false',
      LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
      LOG_LEVEL: 'trace',
      LUMIO_PASSWORD_SCRYPT_COST: String(TEST_SCRYPT_COST),
      // The suite polls run status in a loop with one key, above the default per-key limit.
      LUMIO_API_RATE_PER_SECOND: '100000',
      LUMIO_API_RATE_BURST: '100000',
    },
    process.cwd(),
  );
  const platform = await startPlatform(config, createLogger({ level: 'trace', destination }));
  const admin: Principal = { label: 'admin key', kind: 'api_key', permissions: [], actor: 'key:admin', key: adminKey };
  const exchanges: Exchange[] = [];

  const call: CapturedPlatform['call'] = async (principal, method, path, body, allowed = {}) => {
    const reply = await send(platform.url, principal, method, path, body);
    exchanges.push({ method, path, reply, allowedInBody: allowed.allowedInBody ?? [], allowedInHeaders: allowed.allowedInHeaders ?? [] });
    return reply;
  };

  return { platform, url: platform.url, admin, logLines, exchanges, call, close: () => platform.close() };
}
