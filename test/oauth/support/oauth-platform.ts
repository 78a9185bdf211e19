import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import { startPlatform, type RunningPlatform } from '../../../platform/src/app/index.js';
import { loadConfig } from '../../../platform/src/config/index.js';
import { createLogger } from '../../../platform/src/observability/index.js';
import { createCredentialCipher, loadMasterKeys } from '../../../platform/src/security/index.js';
import type { OpenStoreOptions } from '../../../platform/src/store/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';

/** A response of the platform as the tests saw it, kept to check that no secret ever appears in one. */
export interface SeenResponse {
  status: number;
  location: string | null;
  text: string;
}

export interface OAuthTestPlatform {
  platform: RunningPlatform;
  url: string;
  /** Every log line the platform wrote, at trace level. */
  logLines: string[];
  /** Every platform response fetched through `call` or `get`. */
  responses: SeenResponse[];
  /** Calls the API with the admin key; parses JSON. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Sends a GET without following redirects and without an API key, as a browser following a link would. */
  get(url: string): Promise<SeenResponse>;
  /** Decrypts a connection's stored credentials with the master key file of the data folder. */
  readCredentials(connectionId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the platform on loopback with a trace-level logger whose lines the test can search. */
export async function startOAuthTestPlatform(store: OpenStoreOptions, connectorsDir: string, env: Record<string, string> = {}): Promise<OAuthTestPlatform> {
  const apiKey = `test_${randomBytes(24).toString('base64url')}`;
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
      LUMIO_ADMIN_API_KEY: apiKey,
      LUMIO_CONNECTORS_DIR: connectorsDir,
      LUMIO_DEMO: 'false',
      LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
      LOG_LEVEL: 'trace',
      // The tests send hundreds of requests a second with one key, far above the default API rate limit.
      LUMIO_API_RATE_PER_SECOND: '100000',
      LUMIO_API_RATE_BURST: '100000',
      ...env,
    },
    process.cwd(),
  );
  const platform = await startPlatform(config, createLogger({ level: 'trace', destination }));
  const responses: SeenResponse[] = [];

  const call: OAuthTestPlatform['call'] = async (method, path, body) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    responses.push({ status: response.status, location: response.headers.get('location'), text });
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  const get: OAuthTestPlatform['get'] = async (url) => {
    const response = await fetch(url, { redirect: 'manual' });
    const seen = { status: response.status, location: response.headers.get('location'), text: await response.text() };
    if (url.startsWith(platform.url)) responses.push(seen);
    return seen;
  };

  const readCredentials: OAuthTestPlatform['readCredentials'] = async (connectionId) => {
    const envelope = await platform.store.credentials.getEncrypted(connectionId);
    if (!envelope) throw new Error(`Connection ${connectionId} has no stored credentials.`);
    const keyring = await loadMasterKeys({ dataDir: store.dataDir, logger: silentLogger });
    return createCredentialCipher(keyring).decrypt(connectionId, envelope);
  };

  return { platform, url: platform.url, logLines, responses, call, get, readCredentials, close: () => platform.close() };
}
