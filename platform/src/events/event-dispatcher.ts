import { randomUUID } from 'node:crypto';

import { isLumioError } from '../errors/index.js';
import { createHttpClient, type HttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import type { CredentialCipher } from '../security/index.js';
import type { ClaimedEventDelivery, Store, StoredEventSubscription } from '../store/index.js';
import { fanOutWorkspace } from './fan-out.js';
import { checkRetrySchedule, nextRetryAt, STANDARD_RETRY_SCHEDULE_MS } from './retry-schedule.js';
import { sendDelivery, type AttemptResult } from './send-delivery.js';
import { decryptSubscriptionKey } from './subscription-secret.js';

export interface EventDispatcherOptions {
  store: Store;
  cipher: CredentialCipher;
  logger: Logger;
  /** When false, deliveries to hosts that resolve to private, loopback, link-local or metadata addresses fail. */
  allowPrivateNetwork: boolean;
  /** Deadline of one attempt, from sending to the end of the response body, in milliseconds. Default 15000. */
  timeoutMs?: number;
  /** Delays before each attempt, in milliseconds. Default `STANDARD_RETRY_SCHEDULE_MS`; tests pass shorter ones. */
  retrySchedule?: readonly number[];
  /** Source of the retry jitter, returning values from 0 to below 1. Default Math.random. */
  random?: () => number;
  /** How often the dispatcher looks for new events and due deliveries when nothing woke it, in milliseconds. Default 1000. */
  pollIntervalMs?: number;
  /** Age an event must reach before it is fanned out, in milliseconds (see `settledPrefix`). Default 2000. */
  settleMs?: number;
  /** Attempts sent at the same time at most. Default 20. */
  maxInFlight?: number;
  /** Days succeeded and dead deliveries are kept. Default 30. */
  retentionDays?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Time a claim lasts beyond the request timeout, for decrypting the secret and recording the outcome. */
const LOCK_MARGIN_MS = 30_000;
const FAN_OUT_PAGE_SIZE = 500;
const FAN_OUT_MAX_PAGES = 10;
const RETENTION_CHECK_MS = 60 * 60_000;
const USER_AGENT = 'lumio-integrations/0.1 (event delivery)';

/**
 * Sends Lumio's own events to subscribers in the background. Each round fans new events
 * out into deliveries, then claims due deliveries under a lock that expires, and sends
 * each one as a signed POST. Any number of dispatchers, in any number of processes, may
 * share one database: a delivery is sent by the holder of its lock, and only the holder
 * may record the outcome.
 */
export class EventDispatcher {
  readonly #options: EventDispatcherOptions;
  readonly #dispatcherId = `event-dispatcher-${randomUUID()}`;
  readonly #http: HttpClient;
  readonly #schedule: readonly number[];
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #wokenEarly = false;
  #lastFanOutAt = 0;
  #fanOutRequested = false;
  #lastPurgeAt = 0;

  constructor(options: EventDispatcherOptions) {
    this.#options = options;
    this.#schedule = options.retrySchedule ?? STANDARD_RETRY_SCHEDULE_MS;
    checkRetrySchedule(this.#schedule);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#http = createHttpClient({ allowPrivateNetwork: options.allowPrivateNetwork, userAgent: USER_AGENT, timeoutMs: this.#timeoutMs, logger: options.logger });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    this.#options.logger.info({ dispatcherId: this.#dispatcherId, timeoutMs: this.#timeoutMs, attempts: this.#schedule.length }, 'event dispatcher started');
  }

  /** Makes the dispatcher look for new events and due deliveries now instead of at its next poll. */
  wake(): void {
    this.#fanOutRequested = true;
    this.#wakeLoop();
  }

  /** Stops claiming deliveries, waits for the attempts in flight, and closes the HTTP connections. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wakeLoop();
    await this.#loop;
    await Promise.all([...this.#inFlight]);
    await this.#http.close();
    this.#options.logger.info({ dispatcherId: this.#dispatcherId }, 'event dispatcher stopped');
  }

  async #run(): Promise<void> {
    const pollIntervalMs = this.#options.pollIntervalMs ?? 1_000;
    while (this.#running) {
      this.#wokenEarly = false;
      try {
        await this.#purgeWhenDue();
        await this.#fanOutWhenDue(pollIntervalMs);
        await this.#claimAndSend();
      } catch (error) {
        this.#options.logger.error({ err: error, dispatcherId: this.#dispatcherId }, 'event dispatcher round failed; it retries at the next poll');
      }
      // A finished attempt wakes the loop, so a free slot is filled without waiting for the poll.
      if (!this.#wokenEarly) await this.#sleep(pollIntervalMs);
    }
  }

  async #fanOutWhenDue(pollIntervalMs: number): Promise<void> {
    const now = Date.now();
    if (!this.#fanOutRequested && now - this.#lastFanOutAt < pollIntervalMs) return;
    this.#fanOutRequested = false;
    this.#lastFanOutAt = now;

    const { store, logger } = this.#options;
    const byWorkspace = new Map<string, StoredEventSubscription[]>();
    for (const subscription of await store.eventSubscriptions.listAll()) {
      byWorkspace.set(subscription.workspaceId, [...(byWorkspace.get(subscription.workspaceId) ?? []), subscription]);
    }

    for (const [workspaceId, subscriptions] of byWorkspace) {
      try {
        await fanOutWorkspace(store, workspaceId, subscriptions, { pageSize: FAN_OUT_PAGE_SIZE, maxPages: FAN_OUT_MAX_PAGES, settleMs: this.#options.settleMs ?? 2_000, now });
      } catch (error) {
        logger.error({ err: error, workspaceId }, 'fanning out Lumio events failed; the next round tries again from the same cursor');
      }
    }
  }

  async #claimAndSend(): Promise<void> {
    const free = (this.#options.maxInFlight ?? 20) - this.#inFlight.size;
    if (free <= 0 || !this.#running) return;

    const claimed = await this.#options.store.eventDeliveries.claimDue({ dispatcherId: this.#dispatcherId, limit: free, lockMs: this.#timeoutMs + LOCK_MARGIN_MS, now: Date.now() });
    for (const delivery of claimed) {
      const attempt = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(attempt);
        this.#wakeLoop();
      });
      this.#inFlight.add(attempt);
    }
  }

  async #deliver(delivery: ClaimedEventDelivery): Promise<void> {
    const { store, cipher, logger } = this.#options;
    const log = logger.child({ deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, eventId: delivery.eventId, eventType: delivery.eventType, attempt: delivery.attempts });

    try {
      const subscription = await store.eventSubscriptions.findById(delivery.subscriptionId);
      if (!subscription) {
        // Deleting a subscription deletes its deliveries, so there is no row left to update.
        log.info('event subscription was deleted while its delivery was claimed; nothing is sent');
        return;
      }

      let result: AttemptResult;
      try {
        const key = decryptSubscriptionKey(cipher, subscription.id, subscription.secret);
        result = await sendDelivery(this.#http, { url: subscription.url, key }, delivery, this.#timeoutMs);
      } catch (error) {
        log.error({ err: error }, 'could not read the event subscription secret; the delivery is retried on its schedule');
        result = secretFailure(error);
      }
      await this.#record(delivery, result, log);
    } catch (error) {
      log.error({ err: error }, 'event delivery attempt could not be recorded; the delivery is retried when its lock expires');
    }
  }

  async #record(delivery: ClaimedEventDelivery, result: AttemptResult, log: Logger): Promise<void> {
    const { store } = this.#options;
    const { outcome } = result;

    if (result.succeeded) {
      const recorded = await store.eventDeliveries.recordSuccess(delivery.id, this.#dispatcherId, outcome);
      if (!recorded) log.warn('event delivery lock expired before the outcome was recorded; the subscriber may receive this event again');
      else log.debug({ statusCode: outcome.statusCode, durationMs: outcome.durationMs }, 'event delivered');
      return;
    }

    const errorCode = result.errorCode ?? 'EVENT_DELIVERY_FAILED';
    const next = nextRetryAt(delivery.attempts, this.#schedule, Date.now(), this.#options.random);
    const recorded = await store.eventDeliveries.recordFailure(delivery.id, this.#dispatcherId, { ...outcome, errorCode, nextAttemptAt: next });
    const details = { code: errorCode, statusCode: outcome.statusCode, message: outcome.errorMessage, durationMs: outcome.durationMs };
    if (!recorded) log.warn(details, 'event delivery lock expired before the failure was recorded; another dispatcher owns the delivery now');
    else if (next === null) log.error(details, 'event delivery is dead after its last attempt; replay it once the subscriber is fixed');
    else log.warn({ ...details, retryInMs: next - Date.now() }, 'event delivery failed; it will be retried');
  }

  async #purgeWhenDue(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurgeAt < RETENTION_CHECK_MS) return;
    this.#lastPurgeAt = now;

    const retentionDays = this.#options.retentionDays ?? 30;
    const purged = await this.#options.store.eventDeliveries.purgeOlderThan(now - retentionDays * 86_400_000);
    if (purged > 0) this.#options.logger.info({ purged, retentionDays }, 'old event deliveries deleted');
  }

  #wakeLoop(): void {
    this.#wokenEarly = true;
    this.#wake?.();
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

/** Builds the failed attempt to record when the subscription's secret cannot be read, so nothing was sent. */
function secretFailure(error: unknown): AttemptResult {
  const code = isLumioError(error) ? error.code : 'EVENT_SECRET_INVALID';
  const message =
    code === 'CREDENTIALS_DECRYPT_FAILED'
      ? 'The subscription secret could not be decrypted, so nothing was sent; configure the master key that encrypted it.'
      : `The subscription secret could not be read, so nothing was sent: ${error instanceof Error ? error.message : String(error)}`;
  return { succeeded: false, errorCode: code, outcome: { attemptedAt: Date.now(), durationMs: 0, statusCode: null, errorCode: code, errorMessage: message, responseExcerpt: null } };
}
