import type { AddressInfo } from 'node:net';

import { serve, type ServerType } from '@hono/node-server';

import { createApiApp } from '../api/index.js';
import type { PlatformConfig } from '../config/index.js';
import { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import { loadConnectorRegistry, type ConnectorRegistry } from '../connectors/index.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../demo/index.js';
import { startOutgoingEvents, type OutgoingEvents } from '../events/index.js';
import { createHttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import { createPlatformMetrics, type PlatformMetrics } from '../observability/metrics/index.js';
import { createCredentialCipher, loadMasterKey } from '../security/index.js';
import { openStore, type Store } from '../store/index.js';
import { startSharedServices, type SharedServices } from '../services/pipeline/index.js';
import { SandboxHost } from '../sandbox/index.js';
import { SyncEngine } from '../sync/index.js';
import { startWebhooks, type Webhooks } from '../webhooks/index.js';
import { ensureAdminKey, type AdminKeyResult } from './bootstrap.js';

export interface RunningPlatform {
  url: string;
  store: Store;
  registry: ConnectorRegistry;
  sync: SyncEngine;
  services: SharedServices;
  webhooks: Webhooks;
  /** Subscriptions to Lumio's own events and their dispatcher. */
  events: OutgoingEvents;
  /** The Prometheus registry and the adapters the services report to. */
  metrics: PlatformMetrics;
  admin: AdminKeyResult;
  sandbox: HubSpotSandbox | null;
  /** Runs connector plugins in isolates, in a worker process it starts at the first plugin call. */
  plugins: SandboxHost;
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

  const metrics = createPlatformMetrics();
  const http = createHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork, userAgent: 'lumio-integrations/0.1', logger });
  const services = await startSharedServices({ redisUrl: config.redisUrl, tokenRefresh: { store, cipher, http }, metrics, logger });
  const connections = new ConnectionService({ store, registry, cipher, http, services: services.pipeline, logger });
  const plugins = new SandboxHost({ settings: config.sandbox, pluginState: store.pluginState, logger });
  const sync = new SyncEngine({ store, connections, logger, sandbox: plugins, metrics: metrics.sync });

  // Webhook URLs need the public URL, which defaults to the listening address known only below.
  let listeningUrl = `http://${config.host}:${config.port}`;
  const publicUrl = () => config.publicUrl ?? listeningUrl;
  const webhooks = await startWebhooks({ store, registry, connections, cipher, config: config.webhooks, publicUrl, redisUrl: config.redisUrl, metrics: metrics.webhooks, sandbox: plugins, logger });

  const events = startOutgoingEvents({ store, cipher, allowPrivateNetwork: config.allowPrivateNetwork, logger });

  const app = createApiApp({ store, registry, connections, sync, shared: services, webhooks, events, metrics, logger });
  const server = await listen(app.fetch, config.port, config.host).catch(async (error: unknown) => {
    await webhooks.close();
    await events.close();
    throw error;
  });
  const address = server.address() as AddressInfo;

  // The admin key is made only once the port is ours, so a start that fails to listen
  // never creates (and loses) a key it could not print.
  const admin = await ensureAdminKey(store, config.adminApiKey, logger);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  listeningUrl = url;
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
    services,
    webhooks,
    events,
    metrics,
    admin,
    sandbox,
    plugins,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhooks.close();
      await events.close();
      await sync.stop();
      await plugins.close();
      await sandbox?.stop();
      await services.close();
      await http.close();
      await store.close();
      logger.info('platform stopped');
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port, hostname)));
  });
}

/** Turns a failed listen into a configuration error that names the setting to change. */
function listenError(error: NodeJS.ErrnoException, port: number, hostname: string): Error {
  if (error.code === 'EADDRINUSE') {
    return new LumioError('CONFIG_INVALID', `Port ${port} on ${hostname} is already in use; stop the other program or set PORT to another port (PORT=0 picks a free one).`, { details: { variable: 'PORT' }, cause: error });
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new LumioError('CONFIG_INVALID', `HOST "${hostname}" is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its interface addresses.`, { details: { variable: 'HOST' }, cause: error });
  }
  if (error.code === 'EACCES') {
    return new LumioError('CONFIG_INVALID', `Listening on port ${port} needs privileges this process lacks; set PORT to 1024 or above.`, { details: { variable: 'PORT' }, cause: error });
  }
  return error;
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
