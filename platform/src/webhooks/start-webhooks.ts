import type { WebhookConfig } from '../config/index.js';
import type { ConnectionService } from '../connections/index.js';
import type { ConnectorRegistry } from '../connectors/index.js';
import type { Logger } from '../observability/index.js';
import type { CredentialCipher } from '../security/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import type { Store } from '../store/index.js';
import { ConnectionResolver } from './intake/connection-resolver.js';
import { EndpointRateLimiter } from './intake/endpoint-rate-limiter.js';
import { IntakeWriter } from './intake/intake-writer.js';
import { PluginWebhooks } from './intake/plugin-webhooks.js';
import { WebhookIntake } from './intake/webhook-intake.js';
import { WebhookWorker } from './processing/webhook-worker.js';
import { WebhookSettingsService } from './settings/index.js';
import { openRedisWakeChannel, type WakeChannel } from './wake-channel.js';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

export interface StartWebhooksOptions {
  store: Store;
  registry: ConnectorRegistry;
  connections: ConnectionService;
  cipher: CredentialCipher;
  config: WebhookConfig;
  /** Public base URL; a function because the default is known only once the server listens. */
  publicUrl(): string;
  /** With Redis, a delivery stored by one process wakes the workers of all of them. */
  redisUrl?: string;
  /** Delivery counters; without them the counts are kept in memory only. `snapshot()` feeds the API. */
  metrics?: WebhookMetrics;
  /** Runs connector plugins' `verifyWebhook` and `parseWebhook` hooks. */
  sandbox?: SandboxHost;
  logger: Logger;
}

/** The webhook router's parts, as the API and the platform use them. */
export interface Webhooks {
  intake: WebhookIntake;
  settings: WebhookSettingsService;
  resolver: ConnectionResolver;
  worker: WebhookWorker;
  metrics: WebhookMetrics;
  publicUrl(): string;
  close(): Promise<void>;
}

/**
 * Intake transactions one process runs at the same time on PostgreSQL. Each uses one of the
 * pool's 10 connections, so the rest stay free for the worker and the API.
 */
const POSTGRES_CONCURRENT_COMMITS = 4;

/** Builds the intake and starts the background worker that processes stored events. */
export async function startWebhooks(options: StartWebhooksOptions): Promise<Webhooks> {
  const { store, config, logger } = options;
  const log = logger.child({ component: 'webhooks' });

  const metrics = options.metrics ?? createWebhookMetrics();
  const settings = new WebhookSettingsService({ store, cipher: options.cipher, logger: log });
  const resolver = new ConnectionResolver(store);
  const worker = new WebhookWorker({
    store,
    connections: options.connections,
    metrics,
    logger: log,
    maxAttempts: config.maxAttempts,
    retentionDays: config.retentionDays,
    lockMs: config.lockMs,
  });

  let channel: WakeChannel | null = null;
  if (options.redisUrl) {
    channel = await openRedisWakeChannel(options.redisUrl, () => worker.wake(), log).catch((error: unknown) => {
      log.warn({ err: error }, 'the webhook wake channel could not connect to Redis; workers poll the database instead');
      return null;
    });
  }

  const intake = new WebhookIntake({
    registry: options.registry,
    resolver,
    settings,
    writer: new IntakeWriter({ store, logger: log, maxConcurrentCommits: store.dialect === 'postgres' ? POSTGRES_CONCURRENT_COMMITS : 1 }),
    rateLimiter: new EndpointRateLimiter({ ratePerSecond: config.ratePerSecond }),
    metrics,
    publicUrl: options.publicUrl,
    maxBodyBytes: config.maxBodyBytes,
    ...(options.sandbox ? { plugins: new PluginWebhooks(options.sandbox) } : {}),
    onStored: () => {
      worker.intakeStored();
      channel?.publish();
    },
    logger: log,
  });

  worker.start();
  return {
    intake,
    settings,
    resolver,
    worker,
    metrics,
    publicUrl: options.publicUrl,
    async close() {
      await worker.stop();
      await channel?.close();
    },
  };
}
