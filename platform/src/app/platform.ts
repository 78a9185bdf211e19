import type { AddressInfo } from 'node:net';

import { serve, type ServerType } from '@hono/node-server';

import { createApiApp } from '../api/index.js';
import type { PlatformConfig } from '../config/index.js';
import { ConnectionService } from '../connections/index.js';
import { loadConnectorRegistry, type ConnectorRegistry } from '../connectors/index.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../demo/index.js';
import { createHttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import { createCredentialCipher, loadMasterKey } from '../security/index.js';
import { openStore, type Store } from '../store/index.js';
import { SyncEngine } from '../sync/index.js';
import { ensureAdminKey, type AdminKeyResult } from './bootstrap.js';

export interface RunningPlatform {
  url: string;
  store: Store;
  registry: ConnectorRegistry;
  sync: SyncEngine;
  admin: AdminKeyResult;
  sandbox: HubSpotSandbox | null;
  close(): Promise<void>;
}

/**
 * Starts the platform: store and migrations, credential key, connectors, the sync engine
 * (resuming runs a previous process left unfinished), the HTTP API, and the demo sandbox.
 */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  const masterKey = await loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir, logger });
  const cipher = createCredentialCipher({ keys: [masterKey], activeKeyId: masterKey.id });

  const registry = await loadConnectorRegistry(config.connectorsDir, logger);
  await recordConnectors(store, registry);

  const admin = await ensureAdminKey(store, config.adminApiKey, logger);
  const http = createHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork, userAgent: 'lumio-integrations/0.1', logger });
  const connections = new ConnectionService({ store, registry, cipher, http, logger });
  const sync = new SyncEngine({ store, connections, logger });

  const app = createApiApp({ store, registry, connections, sync, logger });
  const server = await listen(app.fetch, config.port, config.host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, database: config.databaseUrl ? 'postgresql' : 'sqlite', dataDir: config.dataDir }, 'platform listening');

  let sandbox: HubSpotSandbox | null = null;
  if (config.demo && registry.get('hubspot')) {
    sandbox = await startHubSpotSandbox({ store, connections, workspaceId: admin.workspaceId, dataDir: config.dataDir, logger }).catch((error: unknown) => {
      logger.error({ err: error }, 'the demo sandbox did not start; the platform runs without it');
      return null;
    });
  }

  await sync.resumeInterrupted();

  return {
    url,
    store,
    registry,
    sync,
    admin,
    sandbox,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sync.stop();
      await sandbox?.stop();
      await http.close();
      await store.close();
      logger.info('platform stopped');
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}

async function recordConnectors(store: Store, registry: ConnectorRegistry): Promise<void> {
  for (const connector of registry.list()) {
    await store.connectors.upsert({
      id: connector.id,
      version: connector.manifest.version,
      name: connector.manifest.name,
      manifest: connector.manifest,
      manifestHash: connector.manifestHash,
      status: 'loaded',
      errors: [],
    });
  }
  for (const rejected of registry.rejected()) {
    await store.connectors.upsert({ id: rejected.id, version: '0.0.0', name: rejected.id, manifest: null, manifestHash: '', status: 'invalid', errors: rejected.issues });
  }
}
