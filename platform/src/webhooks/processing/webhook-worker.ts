import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop, setTimeout as delay } from 'node:timers/promises';

import type { ConnectionService } from '../../connections/index.js';
import { isLumioError } from '../../errors/index.js';
import { recordWebhookEventDead } from '../../events/index.js';
import type { Logger } from '../../observability/index.js';
import type { Store, StoredWebhookEvent } from '../../store/index.js';
import type { WebhookMetrics } from '../webhook-metrics.js';
import type { EventOutcome } from './event-outcome.js';
import { processBatch } from './process-batch.js';
import { nextAttemptAt } from './retry-schedule.js';
import { nextBatchSize, nextLoadEstimate, pauseAfterRound, shareForLoad } from './round-pacing.js';

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
  /**
   * How long a claimed event stays locked to this worker, in milliseconds (LUMIO_WEBHOOK_LOCK_MS).
   * Default 60000. A batch that takes longer loses its events to another worker.
   */
  lockMs?: number;
  /**
   * Events claimed and processed together per round while the intake is busy or the queue
   * is short. Default 100. Each round's database work blocks the event loop, so a small
   * batch keeps the intake's responses fast.
   */
  batchSize?: number;
  /**
   * Largest batch while the intake is idle and a backlog waits, from `batchSize` up.
   * Default 500. A larger batch spreads each round's fixed cost (the claim, connection,
   * mapping and record lookups, and the commits) over more events.
   */
  maxBatchSize?: number;
  /**
   * How long the worker waits after a wake before it claims, in milliseconds, so that
   * events stored meanwhile join the same batch. Default 10.
   */
  wakeDelayMs?: number;
  /**
   * Share of the time the worker keeps for its rounds while this process's intake stores
   * deliveries and keeps the event loop busy, from 0.05 to 1. After such a round the worker
   * pauses long enough to stay within its share, so providers keep getting fast responses
   * during a burst and the backlog is processed at full speed once the burst ends. When
   * the intake leaves the loop idle part of the time, the worker takes that idle share
   * instead, so a steady load below capacity does not build a backlog. Default 0.1.
   */
  shareWhileIntakeBusy?: number;
  /**
   * How long an event may wait past its due time before the worker stops pausing for the
   * intake, in milliseconds. Default 30000. Under a load that never ends, the share above
   * would let the backlog grow without bound. Past this delay the worker runs its rounds
   * back to back, so the intake responds more slowly until the backlog is younger again.
   */
  maxDelayWhileIntakeBusyMs?: number;
}

const RETENTION_CHECK_MS = 60 * 60_000;

/** Outcome of one round. */
interface RoundResult {
  claimed: number;
  /** Maximum time a claimed event had waited past its due time, in milliseconds, or 0 when none was claimed. */
  waitedMs: number;
}

interface Completion {
  event: StoredWebhookEvent;
  outcome: EventOutcome;
}

/**
 * Processes stored webhook events in the background, in batches. Any number of workers, in
 * any number of processes, may share one database, because each event is claimed under a
 * lock with an expiry. Events of a worker that died are taken over when their locks
 * expire, and only the lock holder may record the outcome.
 */
export class WebhookWorker {
  readonly #options: WebhookWorkerOptions;
  readonly #workerId = `webhook-worker-${randomUUID()}`;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #wokenEarly = false;
  #intakeBusy = false;
  #stopPause: (() => void) | null = null;
  #lastPurgeAt = 0;
  /**
   * Event-loop utilization while the worker pauses, from 0 to 1: the load of the intake and
   * the rest of the process without the worker. It starts at 1, so the first pause is the
   * longest.
   */
  #foregroundLoad = 1;

  constructor(options: WebhookWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    this.#options.logger.info({ workerId: this.#workerId, lockMs: this.#lockMs, batchSize: this.#batchSize }, 'webhook worker started');
  }

  /** Makes the worker look for events now instead of at its next poll. */
  wake(): void {
    this.#wokenEarly = true;
    this.#wake?.();
  }

  /**
   * Wakes the worker for events that this process's intake stored, and notes that the
   * intake is busy, which limits the worker's share of the time (see `shareWhileIntakeBusy`).
   */
  intakeStored(): void {
    this.#intakeBusy = true;
    this.wake();
  }

  /** Stops claiming events and waits for the round in progress to finish. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    this.#stopPause?.();
    await this.#loop;
    this.#options.logger.info({ workerId: this.#workerId }, 'webhook worker stopped');
  }

  get #lockMs(): number {
    return this.#options.lockMs ?? 60_000;
  }

  get #batchSize(): number {
    return this.#options.batchSize ?? 100;
  }

  get #maxBatchSize(): number {
    return Math.max(this.#batchSize, this.#options.maxBatchSize ?? 500);
  }

  get #maxDelayWhileIntakeBusyMs(): number {
    return this.#options.maxDelayWhileIntakeBusyMs ?? 30_000;
  }

  async #run(): Promise<void> {
    let limit = this.#batchSize;
    while (this.#running) {
      this.#wokenEarly = false;
      this.#intakeBusy = false;
      const started = performance.now();
      const { claimed, waitedMs } = await this.#round(limit);
      const roundMs = performance.now() - started;
      if (claimed > 0 && this.#intakeBusy && waitedMs < this.#maxDelayWhileIntakeBusyMs) await this.#pauseForIntake(roundMs);

      // A full batch means a backlog: the next round starts after pending I/O, such as
      // deliveries waiting for the intake, had its turn. Its size depends on whether the
      // intake stored anything since this round started.
      if (claimed >= limit) {
        await yieldToEventLoop();
        limit = nextBatchSize({ limit, batchSize: this.#batchSize, maxBatchSize: this.#maxBatchSize, intakeBusy: this.#intakeBusy, roundMs, lockMs: this.#lockMs });
        continue;
      }
      limit = this.#batchSize;

      const woken = this.#wokenEarly || (await this.#sleep(this.#options.pollIntervalMs ?? 1_000));
      if (woken && this.#running) await delay(this.#options.wakeDelayMs ?? 10);
    }
  }

  /** Claims up to `limit` events and processes them. */
  async #round(limit: number): Promise<RoundResult> {
    const { store, connections, logger } = this.#options;
    let claimed: StoredWebhookEvent[] = [];
    let waitedMs = 0;
    try {
      await this.#purgeWhenDue();
      const now = Date.now();
      claimed = await store.webhookEvents.claimDue({ workerId: this.#workerId, limit, lockMs: this.#lockMs, now });
      if (claimed.length === 0) return { claimed: 0, waitedMs };
      for (const event of claimed) waitedMs = Math.max(waitedMs, now - event.nextAttemptAt);

      await yieldToEventLoop();
      const settlements = await processBatch(claimed, { store, connections }, logger);
      await yieldToEventLoop();

      const completions: Completion[] = [];
      for (const event of claimed) {
        const settlement = settlements.get(event.id) ?? { error: new Error(`The batch returned no outcome for webhook event ${event.id}.`) };
        if ('outcome' in settlement) completions.push({ event, outcome: settlement.outcome });
        else await this.#recordFailure(event, settlement.error, this.#eventLogger(event));
      }
      await this.#complete(completions);
    } catch (error) {
      logger.error({ err: error, workerId: this.#workerId, events: claimed.length }, 'webhook worker round failed; its events are retried when their locks expire');
    }
    return { claimed: claimed.length, waitedMs };
  }

  /** Completes the batch's successful events in one transaction, fenced by this worker's locks. */
  async #complete(completions: Completion[]): Promise<void> {
    if (completions.length === 0) return;
    const { store, metrics, logger } = this.#options;

    let completed: Set<string>;
    try {
      const items = completions.map(({ event, outcome }) => ({ eventId: event.id, outcome: { status: outcome.status, result: outcome.result }, lumioEvents: outcome.lumioEvents }));
      completed = new Set(await store.webhookEvents.completeMany(this.#workerId, items));
    } catch (error) {
      // The records are written, but without the completion the attempt did not happen.
      for (const { event } of completions) await this.#recordFailure(event, error, this.#eventLogger(event));
      return;
    }

    const debug = logger.isLevelEnabled('debug');
    for (const { event, outcome } of completions) {
      if (!completed.has(event.id)) {
        this.#eventLogger(event).warn('webhook event lock expired before it was completed; the worker that took it over records the outcome');
        continue;
      }
      metrics.processed(event.connectorId, outcome.status);
      if (debug) this.#eventLogger(event).debug({ status: outcome.status, ...outcome.result }, 'webhook event processed');
    }
  }

  #eventLogger(event: StoredWebhookEvent): Logger {
    return this.#options.logger.child({ eventId: event.id, connectionId: event.connectionId, connectorId: event.connectorId, eventType: event.eventType, attempt: event.attempts });
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

  /**
   * Pauses so that a round of `roundMs` stays within the worker's share of the time, and
   * measures the event loop's load during the pause for the next share. Only `stop` ends
   * the pause early.
   */
  async #pauseForIntake(roundMs: number): Promise<void> {
    const share = shareForLoad(this.#foregroundLoad, this.#options.shareWhileIntakeBusy ?? 0.1);
    const pauseMs = pauseAfterRound(roundMs, share);
    if (!this.#running) return;

    const before = performance.eventLoopUtilization();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pauseMs);
      this.#stopPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#stopPause = null;
    this.#foregroundLoad = nextLoadEstimate(this.#foregroundLoad, performance.eventLoopUtilization(before).utilization);
  }

  /** Waits up to `ms`. Returns true when a wake cut the wait short. */
  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve(false);
      }, ms);
      this.#wake = () => {
        this.#wake = null;
        clearTimeout(timer);
        resolve(true);
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
