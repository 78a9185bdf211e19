import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serve, type ServerType } from '@hono/node-server';

import { AccessService, accessSettingsFromConfig, ensureDemoAdmin, type DemoAdminResult } from '../access/index.js';
import { createApiApp } from '../api/index.js';
import { nodeWebhookHandler, type NodeRequestHandler } from '../api/routes/webhook-intake.js';
import { AuditRetention } from '../audit/index.js';
import type { PlatformConfig } from '../config/index.js';
import { ConnectionService } from '../connections/index.js';
import { createDiagnostics } from '../diagnostics/index.js';
import { LumioError } from '../errors/index.js';
import { loadConnectorRegistry, type ConnectorRegistry } from '../connectors/index.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../demo/index.js';
import { startOutgoingEvents, type OutgoingEvents } from '../events/index.js';
import { createHttpClient } from '../http/index.js';
import { createJobQueue, NOOP_JOB_NAME, runNoopJob, type JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { createPlatformMetrics, type PlatformMetrics } from '../observability/metrics/index.js';
import { OAuthConnectFlow } from '../oauth/index.js';
import { openCredentialCipher } from '../security/index.js';
import { openStore, type Store } from '../store/index.js';
import { startSharedServices, type SharedServices } from '../services/pipeline/index.js';
import { pluginHooksAttacher, SandboxHost } from '../sandbox/index.js';
import { SyncEngine, SyncService, SyncWorker } from '../sync/index.js';
import { startWebhooks, type Webhooks } from '../webhooks/index.js';
import { WritebackService } from '../writeback/index.js';
import { ensureAdminKey, type AdminKeyResult } from './bootstrap.js';

export interface RunningPlatform {
  url: string;
  store: Store;
  registry: ConnectorRegistry;
  /** Starts sync runs on the job queue and previews them. */
  sync: SyncService;
  /** The durable job queue: embedded in the database, or BullMQ when REDIS_URL is set. */
  jobs: JobQueue;
  /** Executes sync runs and schedule slots in this process; null when started without workers. */
  syncWorker: SyncWorker | null;
  services: SharedServices;
  webhooks: Webhooks;
  /** Subscriptions to Lumio's own events and their dispatcher. */
  events: OutgoingEvents;
  /** The Prometheus registry and the adapters the services report to. */
  metrics: PlatformMetrics;
  admin: AdminKeyResult;
  /** The demo admin user of the embedded demo (no DATABASE_URL, demo on); null otherwise. */
  demoAdmin: DemoAdminResult | null;
  sandbox: HubSpotSandbox | null;
  /** Runs connector plugins in isolates, in a worker process it starts at the first plugin call. */
  plugins: SandboxHost;
  close(): Promise<void>;
}

export interface StartPlatformOptions {
  /**
   * Whether this process also runs the job workers: sync runs, schedule slots and `noop`
   * jobs. Default true. An API-only process leaves them to `lumio worker` processes.
   */
  worker?: boolean;
}

/**
 * Starts the platform: store and migrations, credential key, connectors, the job queue,
 * the HTTP API, the demo sandbox and, unless `options.worker` is false, the sync worker.
 * Runs a stopped process left unfinished are resumed by the workers from their checkpoints.
 */
export async function startPlatform(config: PlatformConfig, logger: Logger, options: StartPlatformOptions = {}): Promise<RunningPlatform> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  // Follows a rotation of the key file by `lumio rotate-master-key` while the process runs.
  const masterKeys = await openCredentialCipher({ masterKeys: config.masterKeys, masterKey: config.masterKey, dataDir: config.dataDir, logger });
  const cipher = masterKeys.cipher;

  const registry = await loadConnectorRegistry(config.connectorsDir, logger);
  await recordConnectors(store, registry);

  const metrics = createPlatformMetrics();
  const http = createHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork, userAgent: 'lumio-integrations/0.1', logger });
  // Per-connection request counts and debug logging, fed by the shared services and read by the API.
  const diagnostics = createDiagnostics({ store, logger });
  const services = await startSharedServices({ redisUrl: config.redisUrl, tokenRefresh: { store, cipher, http }, recordStore: store, metrics, observer: diagnostics.observer, logger });
  const plugins = new SandboxHost({ settings: config.sandbox, pluginState: store.pluginState, logger });
  const connections = new ConnectionService({ store, registry, cipher, http, services: services.pipeline, attachPluginHooks: pluginHooksAttacher(plugins), logger });
  const jobs = await createJobQueue({ store, redisUrl: config.redisUrl, logger, ...config.jobs });
  const engine = new SyncEngine({ store, connections, logger, sandbox: plugins, metrics: metrics.sync });
  const sync = new SyncService({ store, connections, jobs, engine, logger, sandbox: plugins });
  const writeback = new WritebackService({ store, connections, jobs, logger });

  // Webhook URLs need the public URL, which defaults to the listening address known only below.
  let listeningUrl = `http://${config.host}:${config.port}`;
  const publicUrl = () => config.publicUrl ?? listeningUrl;
  const webhooks = await startWebhooks({ store, registry, connections, cipher, config: config.webhooks, publicUrl, redisUrl: config.redisUrl, metrics: metrics.webhooks, sandbox: plugins, logger });

  const events = startOutgoingEvents({ store, cipher, allowPrivateNetwork: config.allowPrivateNetwork, logger });
  const oauth = new OAuthConnectFlow({ store, connections, cipher, http, services: services.pipeline, webhooks, clients: config.oauth.clients, logger });

  const accessSettings = accessSettingsFromConfig(config);
  const access = new AccessService({ store, settings: accessSettings, logger });
  const app = createApiApp({ store, registry, connections, sync, shared: services, jobs, webhooks, events, writeback, plugins, oauth, metrics, logger }, access, diagnostics);
  const server = await listen(app.fetch, nodeWebhookHandler(webhooks.intake, logger), config.port, config.host).catch(async (error: unknown) => {
    await webhooks.close();
    await events.close();
    await jobs.close();
    throw error;
  });
  const address = server.address() as AddressInfo;

  // The admin key is made only once the port is ours, so a start that fails to listen
  // never creates (and loses) a key it could not print.
  const admin = await ensureAdminKey(store, config.adminApiKey, logger);
  const demoAdmin = config.demo && !config.databaseUrl ? await ensureDemoAdmin(store, config.adminPassword, accessSettings.scrypt, logger) : null;
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

  // The worker starts after the demo has re-pointed its connection at the new sandbox URL,
  // because runs a previous process left unfinished resume as soon as it starts.
  let syncWorker: SyncWorker | null = null;
  let auditRetention: AuditRetention | null = null;
  if (options.worker ?? true) {
    syncWorker = new SyncWorker({ store, jobs, engine, service: sync, logger, concurrency: config.sync.concurrency, schedulerIntervalMs: config.sync.schedulerIntervalMs });
    await syncWorker.start();
    await jobs.process(NOOP_JOB_NAME, runNoopJob, { concurrency: 10 });
    await writeback.start();
    auditRetention = new AuditRetention({ store, jobs, logger, retentionDays: config.audit.retentionDays });
    await auditRetention.start();
  }

  return {
    url,
    store,
    registry,
    sync,
    jobs,
    syncWorker,
    services,
    webhooks,
    events,
    metrics,
    admin,
    demoAdmin,
    sandbox,
    plugins,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhooks.close();
      await events.close();
      // Runs in progress stop after their page in flight and resume elsewhere, or at the next start.
      await syncWorker?.stop();
      auditRetention?.stop();
      await jobs.close();
      await plugins.close();
      await sandbox?.stop();
      await services.close();
      await http.close();
      masterKeys.close();
      await store.close();
      logger.info('platform stopped');
    },
  };
}

/**
 * Listens with the API app behind @hono/node-server. Provider deliveries go to
 * `handleWebhook` first, which skips the Hono request and routing for them.
 */
function listen(fetch: Parameters<typeof serve>[0]['fetch'], handleWebhook: NodeRequestHandler, port: number, hostname: string): Promise<ServerType> {
  const createWebhookFirstServer = (options: object, honoListener: RequestListener) =>
    createServer(options, (incoming, outgoing) => {
      if (!handleWebhook(incoming, outgoing)) void honoListener(incoming, outgoing);
    });

  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname, createServer: createWebhookFirstServer as typeof createServer }, () => resolve(server));
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
