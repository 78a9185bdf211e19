import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { startPlatform } from '../../platform/src/app/index.js';
import { loadConfig } from '../../platform/src/config/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { TemporaryDatabase } from '../store/temporary-database.js';

const CONNECTORS_DIR = fileURLToPath(new URL('../../connectors', import.meta.url));

export interface PlatformSyncResult {
  records: number;
  seconds: number;
}

/**
 * Times a full HubSpot contacts sync through the real platform, from the REST call that
 * starts it to the end of the run: fetch, map, hash, upsert, checkpoint and progress per page.
 */
export async function runPlatformSync(simulatorUrl: string, token: string, database: TemporaryDatabase): Promise<PlatformSyncResult> {
  const apiKey = `bench_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    PORT: '0',
    LUMIO_DATA_DIR: database.options.dataDir,
    DATABASE_URL: database.options.databaseUrl,
    LUMIO_ADMIN_API_KEY: apiKey,
    LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
    LUMIO_DEMO: 'false',
    LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
    LOG_LEVEL: 'silent',
  });
  const platform = await startPlatform(config, silentLogger);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

  try {
    const connect = await fetch(`${platform.url}/v1/integrations/hubspot/connect`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ credentials: { accessToken: token }, config: { baseUrl: simulatorUrl, rateLimits: 'providerOnly' }, test: false }),
    });
    if (connect.status !== 200) throw new Error(`connect answered ${connect.status}: ${await connect.text()}`);

    const started = performance.now();
    const sync = await fetch(`${platform.url}/v1/integrations/hubspot/sync`, { method: 'POST', headers, body: JSON.stringify({ type: 'contacts', mode: 'full' }) });
    if (sync.status !== 202) throw new Error(`sync answered ${sync.status}: ${await sync.text()}`);
    await platform.sync.whenIdle();
    const seconds = (performance.now() - started) / 1000;

    const status = (await (await fetch(`${platform.url}/v1/integrations/hubspot/status`, { headers })).json()) as any;
    if (status.lastRun?.status !== 'succeeded') throw new Error(`the sync ended as ${JSON.stringify(status.lastRun)}`);
    return { records: status.lastRun.counts.read, seconds };
  } finally {
    await platform.close();
  }
}
