import { AuditRetention } from '../audit/index.js';
import type { PlatformConfig } from '../config/index.js';
import { ConnectionService } from '../connections/index.js';
import { loadConnectorRegistry } from '../connectors/index.js';
import { createDiagnostics } from '../diagnostics/index.js';
import { createHttpClient } from '../http/index.js';
import { createJobQueue, NOOP_JOB_NAME, runNoopJob, type JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { openCredentialCipher } from '../security/index.js';
import { startSharedServices } from '../services/pipeline/index.js';
import { pluginHooksAttacher, SandboxHost } from '../sandbox/index.js';
import { openStore } from '../store/index.js';
import { SYNC_RUN_JOB, SYNC_SCHEDULE_JOB, SyncEngine, SyncService, SyncWorker } from '../sync/index.js';
import { startWebhooks } from '../webhooks/index.js';
import { WRITEBACK_JOB_NAME, WritebackService } from '../writeback/index.js';

/** Concurrency of the `noop` job worker. */
const NOOP_CONCURRENCY = 10;

export interface RunningWorkers {
  jobs: JobQueue;
  syncWorker: SyncWorker;
  /** Stops the workers after their running jobs finish, then closes connections. */
  close(): Promise<void>;
}

/**
 * Starts the background workers without the HTTP server, for processes that only work
 * off queues. They are the job queue (the embedded queue, or BullMQ when REDIS_URL is set)
 * with the sync run, schedule and `noop` jobs, the schedule loop, and the webhook worker
 * that processes stored webhook events. Any number of these processes may run beside
 * `lumio start`, sharing its database and Redis.
 */
export async function startWorkers(config: PlatformConfig, logger: Logger): Promise<RunningWorkers> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  // Follows a rotation of the key file by `lumio rotate-master-key` while the process runs.
  const masterKeys = await openCredentialCipher({ masterKeys: config.masterKeys, masterKey: config.masterKey, dataDir: config.dataDir, logger });
  const cipher = masterKeys.cipher;
  const registry = await loadConnectorRegistry(config.connectorsDir, logger);

  const http = createHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork, userAgent: 'lumio-integrations/0.1', logger });
  // The observer turns on a connection's debug logging here too, because syncs run in these processes.
  const diagnostics = createDiagnostics({ store, logger });
  const services = await startSharedServices({ redisUrl: config.redisUrl, tokenRefresh: { store, cipher, http }, recordStore: store, observer: diagnostics.observer, logger });
  const plugins = new SandboxHost({ settings: config.sandbox, pluginState: store.pluginState, logger });
  const connections = new ConnectionService({ store, registry, cipher, http, services: services.pipeline, attachPluginHooks: pluginHooksAttacher(plugins), logger });

  // This process serves no webhook requests, so the public URL only matters for links in logs.
  const publicUrl = () => config.publicUrl ?? `http://${config.host}:${config.port}`;
  const webhooks = await startWebhooks({ store, registry, connections, cipher, config: config.webhooks, publicUrl, redisUrl: config.redisUrl, logger });

  const jobs = await createJobQueue({ store, redisUrl: config.redisUrl, logger, ...config.jobs });
  const engine = new SyncEngine({ store, connections, logger, sandbox: plugins });
  const sync = new SyncService({ store, connections, jobs, engine, logger, sandbox: plugins });
  const syncWorker = new SyncWorker({ store, jobs, engine, service: sync, logger, concurrency: config.sync.concurrency, schedulerIntervalMs: config.sync.schedulerIntervalMs });
  await syncWorker.start();
  await jobs.process(NOOP_JOB_NAME, runNoopJob, { concurrency: NOOP_CONCURRENCY });
  await new WritebackService({ store, connections, jobs, logger }).start();
  const auditRetention = new AuditRetention({ store, jobs, logger, retentionDays: config.audit.retentionDays });
  await auditRetention.start();
  logger.info({ jobBackend: jobs.backend, jobNames: [SYNC_RUN_JOB, SYNC_SCHEDULE_JOB, NOOP_JOB_NAME, WRITEBACK_JOB_NAME] }, 'workers started');

  return {
    jobs,
    syncWorker,
    async close() {
      // Runs in progress stop after their page in flight; their jobs resume in another worker.
      await syncWorker.stop();
      auditRetention.stop();
      await jobs.close();
      await plugins.close();
      await webhooks.close();
      await services.close();
      await http.close();
      masterKeys.close();
      await store.close();
      logger.info('workers stopped');
    },
  };
}
