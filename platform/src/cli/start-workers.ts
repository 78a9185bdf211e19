import type { PlatformConfig } from '../config/index.js';
import { ConnectionService } from '../connections/index.js';
import { loadConnectorRegistry } from '../connectors/index.js';
import { createHttpClient } from '../http/index.js';
import { createJobQueue, NOOP_JOB_NAME, runNoopJob, type JobQueue } from '../jobs/index.js';
import type { Logger } from '../observability/index.js';
import { createCredentialCipher, loadMasterKey } from '../security/index.js';
import { startSharedServices } from '../services/pipeline/index.js';
import { openStore } from '../store/index.js';
import { startWebhooks } from '../webhooks/index.js';

/** Concurrency of the `noop` job worker. */
const NOOP_CONCURRENCY = 10;

export interface RunningWorkers {
  jobs: JobQueue;
  /** Stops the workers after their running jobs finish, then closes connections. */
  close(): Promise<void>;
}

/**
 * Starts the background workers without the HTTP server, for processes that only work
 * off queues: the job queue (the embedded queue, or BullMQ when REDIS_URL is set) with the
 * `noop` job, and the webhook worker that processes stored webhook events. Any number of
 * these processes may run beside `lumio start`, sharing its database and Redis.
 *
 * TODO: register the sync job here once the sync engine runs on the job queue. Until then
 * a sync runs in the process whose API started it.
 */
export async function startWorkers(config: PlatformConfig, logger: Logger): Promise<RunningWorkers> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  const masterKey = await loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir, logger });
  const cipher = createCredentialCipher({ keys: [masterKey], activeKeyId: masterKey.id });
  const registry = await loadConnectorRegistry(config.connectorsDir, logger);

  const http = createHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork, userAgent: 'lumio-integrations/0.1', logger });
  const services = await startSharedServices({ redisUrl: config.redisUrl, tokenRefresh: { store, cipher, http }, logger });
  const connections = new ConnectionService({ store, registry, cipher, http, services: services.pipeline, logger });

  // This process serves no webhook requests, so the public URL only matters for links in logs.
  const publicUrl = () => config.publicUrl ?? `http://${config.host}:${config.port}`;
  const webhooks = await startWebhooks({ store, registry, connections, cipher, config: config.webhooks, publicUrl, redisUrl: config.redisUrl, logger });

  const jobs = await createJobQueue({ store, redisUrl: config.redisUrl, logger });
  await jobs.process(NOOP_JOB_NAME, runNoopJob, { concurrency: NOOP_CONCURRENCY });
  logger.info({ jobBackend: jobs.backend, jobNames: [NOOP_JOB_NAME] }, 'workers started');

  return {
    jobs,
    async close() {
      await jobs.close();
      await webhooks.close();
      await services.close();
      await http.close();
      await store.close();
      logger.info('workers stopped');
    },
  };
}
