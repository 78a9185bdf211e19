import { randomUUID } from 'node:crypto';

import type { ConnectionService } from '../../connections/index.js';
import { isLumioError } from '../../errors/index.js';
import { recordWebhookEventDead } from '../../events/index.js';
import type { Logger } from '../../observability/index.js';
import type { Store, StoredWebhookEvent } from '../../store/index.js';
import type { WebhookMetrics } from '../webhook-metrics.js';
import { processEvent } from './process-event.js';
import { nextAttemptAt } from './retry-schedule.js';

export interface WebhookWorkerOptions {
  store: Store;
  connections: ConnectionService;
  metrics: WebhookMetrics;
  logger: Logger;
  /** Attempts before an event goes to the dead-letter list. */
  maxAttempts: number;
  /** Days a processed event is kept; unprocessed ones are kept until they are processed or dead. */
  retentionDays: number;
  /** How often the worker looks for due events when nothing woke it, in milliseconds. Default 1000. */
  pollIntervalMs?: number;
  /** How long a claimed event stays locked to this worker, in milliseconds. Default 60000. */
  lockMs?: number;
  /** Events claimed per round. Default 50. */
  batchSize?: number;
}

const RETENTION_CHECK_MS = 60 * 60_000;

/**
 * Processes stored webhook events in the background. Any number of workers, in any number
 * of processes, may share one database, because each event is claimed under a lock with an
 * expiry. Events of a worker that died are taken over when their locks expire, and only the
 * lock holder may record the outcome.
 */
export class WebhookWorker {
  readonly #options: WebhookWorkerOptions;
  readonly #workerId = `webhook-worker-${randomUUID()}`;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #wokenEarly = false;
  #lastPurgeAt = 0;

  constructor(options: WebhookWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    this.#options.logger.info({ workerId: this.#workerId }, 'webhook worker started');
  }

  /** Makes the worker look for events now instead of at its next poll. */
  wake(): void {
    this.#wokenEarly = true;
    this.#wake?.();
  }

  /** Stops claiming events and waits for the round in progress to finish. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    await this.#loop;
    this.#options.logger.info({ workerId: this.#workerId }, 'webhook worker stopped');
  }

  async #run(): Promise<void> {
    const { store, logger } = this.#options;
    while (this.#running) {
      this.#wokenEarly = false;
      let claimed: StoredWebhookEvent[] = [];
      try {
        await this.#purgeWhenDue();
        claimed = await store.webhookEvents.claimDue({ workerId: this.#workerId, limit: this.#options.batchSize ?? 50, lockMs: this.#options.lockMs ?? 60_000, now: Date.now() });
        await this.#processAll(claimed);
      } catch (error) {
        logger.error({ err: error, workerId: this.#workerId }, 'webhook worker round failed; it retries at the next poll');
      }
      if (claimed.length === 0 && !this.#wokenEarly) await this.#sleep(this.#options.pollIntervalMs ?? 1_000);
    }
  }

  /**
   * Processes a claimed batch: one connection's events one after another in arrival order,
   * so a deletion never overtakes the creation before it, and different connections in parallel.
   */
  async #processAll(events: StoredWebhookEvent[]): Promise<void> {
    const byConnection = new Map<string, StoredWebhookEvent[]>();
    for (const event of events) byConnection.set(event.connectionId, [...(byConnection.get(event.connectionId) ?? []), event]);

    await Promise.all(
      [...byConnection.values()].map(async (queue) => {
        for (const event of queue) await this.#processOne(event);
      }),
    );
  }

  async #processOne(event: StoredWebhookEvent): Promise<void> {
    const { store, connections, metrics, logger } = this.#options;
    const log = logger.child({ eventId: event.id, connectionId: event.connectionId, connectorId: event.connectorId, eventType: event.eventType, attempt: event.attempts });

    try {
      const outcome = await processEvent(event, { store, connections });
      const completed = await store.webhookEvents.complete(event.id, this.#workerId, { status: outcome.status, result: outcome.result }, outcome.lumioEvents);
      if (!completed) {
        log.warn('webhook event lock expired before it was completed; the worker that took it over records the outcome');
        return;
      }
      metrics.processed(event.connectorId, outcome.status);
      log.debug({ status: outcome.status, ...outcome.result }, 'webhook event processed');
    } catch (error) {
      await this.#recordFailure(event, error, log);
    }
  }

  async #recordFailure(event: StoredWebhookEvent, error: unknown, log: Logger): Promise<void> {
    const code = isLumioError(error) ? error.code : 'WEBHOOK_PROCESSING_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    const retryable = isRetryable(error);
    const next = retryable ? nextAttemptAt(event.attempts, this.#options.maxAttempts, Date.now()) : null;

    const recorded = await this.#options.store.webhookEvents.fail(event.id, this.#workerId, { code, message, nextAttemptAt: next }).catch((failError: unknown) => {
      log.error({ err: failError }, 'could not record a webhook event failure; the event is retried when its lock expires');
      return false;
    });
    if (!recorded) return;

    this.#options.metrics.processed(event.connectorId, next === null ? 'dead' : 'failed');
    if (next === null) log.error({ code, err: error, retryable }, 'webhook event moved to the dead-letter list; replay it once the cause is fixed');
    else log.warn({ code, message, retryInMs: next - Date.now() }, 'webhook event failed; it will be retried');
    if (next === null) await recordWebhookEventDead(this.#options.store, log, event, code, message);
  }

  async #purgeWhenDue(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurgeAt < RETENTION_CHECK_MS) return;
    this.#lastPurgeAt = now;

    const purged = await this.#options.store.webhookEvents.purgeOlderThan(now - this.#options.retentionDays * 86_400_000);
    if (purged > 0) this.#options.logger.info({ purged, retentionDays: this.#options.retentionDays }, 'old webhook events deleted');
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}

/**
 * Failures a later attempt may fix: the provider or the platform was down. A bad event, a
 * missing mapping or a broken manifest fails the same way every time, so it goes straight
 * to the dead-letter list, where a replay retries it after the fix.
 */
function isRetryable(error: unknown): boolean {
  if (!isLumioError(error)) return true;
  if (error.code === 'WEBHOOK_EVENT_INVALID') return false;
  return error.fault === 'provider' || error.fault === 'platform';
}
