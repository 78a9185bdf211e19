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
  /** The `data` of up to 100 stored contacts, read after the timed sync, so a caller can check what was stored. */
  sample: Record<string, unknown>[];
}

export interface PlatformSyncOptions {
  /** Connector to connect and sync. Default "hubspot". */
  connectorId?: string;
  /** Folder of connectors the platform loads. Default: the repository's connectors/. */
  connectorsDir?: string;
  /**
   * Whether to preview the sync before the timed run. A preview reads and maps the first
   * page without storing anything, so it starts what a running platform has started
   * already, such as the plugin sandbox's worker process. Default false.
   */
  warmUp?: boolean;
}

/**
 * Times a full HubSpot contacts sync through the real platform, from the REST call that
 * starts it to the end of the run: fetch, map, hash, upsert, checkpoint and progress per page.
 * The connector may be a copy of HubSpot's under another id, such as one with a plugin.
 */
export async function runPlatformSync(simulatorUrl: string, token: string, database: TemporaryDatabase, options: PlatformSyncOptions = {}): Promise<PlatformSyncResult> {
  const connectorId = options.connectorId ?? 'hubspot';
  const apiKey = `bench_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    PORT: '0',
    LUMIO_DATA_DIR: database.options.dataDir,
    DATABASE_URL: database.options.databaseUrl,
    LUMIO_ADMIN_API_KEY: apiKey,
    LUMIO_CONNECTORS_DIR: options.connectorsDir ?? CONNECTORS_DIR,
    LUMIO_DEMO: 'false',
    LUMIO_ALLOW_PRIVATE_NETWORK: 'true',
    LOG_LEVEL: 'silent',
  });
  const platform = await startPlatform(config, silentLogger);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

  try {
    const connect = await fetch(`${platform.url}/v1/integrations/${connectorId}/connect`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ credentials: { accessToken: token }, config: { baseUrl: simulatorUrl, rateLimits: 'providerOnly' }, test: false }),
    });
    if (connect.status !== 200) throw new Error(`connect answered ${connect.status}: ${await connect.text()}`);

    if (options.warmUp) {
      const preview = await fetch(`${platform.url}/v1/integrations/${connectorId}/sync/preview`, { method: 'POST', headers, body: JSON.stringify({ type: 'contacts', mode: 'full' }) });
      if (preview.status !== 200) throw new Error(`the sync preview answered ${preview.status}: ${await preview.text()}`);
    }

    const started = performance.now();
    const sync = await fetch(`${platform.url}/v1/integrations/${connectorId}/sync`, { method: 'POST', headers, body: JSON.stringify({ type: 'contacts', mode: 'full' }) });
    if (sync.status !== 202) throw new Error(`sync answered ${sync.status}: ${await sync.text()}`);
    await platform.sync.whenIdle();
    const seconds = (performance.now() - started) / 1000;

    const status = (await (await fetch(`${platform.url}/v1/integrations/${connectorId}/status`, { headers })).json()) as any;
    if (status.lastRun?.status !== 'succeeded') throw new Error(`the sync ended as ${JSON.stringify(status.lastRun)}`);
    const stored = (await (await fetch(`${platform.url}/v1/records?object=contact&limit=100`, { headers })).json()) as { records: { data: Record<string, unknown> }[] };
    return { records: status.lastRun.counts.read, seconds, sample: stored.records.map((record) => record.data) };
  } finally {
    await platform.close();
  }
}
