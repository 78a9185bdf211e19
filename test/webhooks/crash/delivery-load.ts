import { buildFixtureDelivery, deliveryHeaders, type FixtureOrder } from './fixture-connector.js';

/** Each attempt waits at most this long for a response, so a hung connection cannot stall the load. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface DeliveryLoadOptions {
  /** Webhook URL of the connection, the same on every attempt. */
  url: string;
  secret: string;
  runId: string;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** Most deliveries sent in the whole run. */
  maxDeliveries: number;
  /** Pause of each sender between one acknowledged delivery and its next one, in milliseconds. */
  pauseMs: number;
  /** Pause before a failed attempt is sent again, in milliseconds. */
  retryDelayMs: number;
}

/**
 * How a delivery ended. `acknowledged` follows a 2xx. `acknowledgedAsDuplicate` follows a
 * 409 after an attempt without a 2xx, because the platform stored that attempt but its
 * response was lost. `unexpected` follows any other status, and `abandoned` means the load
 * stopped first.
 */
export type DeliveryOutcome = 'pending' | 'acknowledged' | 'acknowledgedAsDuplicate' | 'unexpected' | 'abandoned';

export interface SentDelivery {
  eventId: string;
  order: FixtureOrder;
  /** The exact body bytes, the same on every attempt. */
  body: string;
  outcome: DeliveryOutcome;
  /** HTTP status of each attempt, or the network error's code when there was no response. */
  attempts: Array<number | string>;
}

export interface DeliveryLoadStats {
  sent: number;
  attempts: number;
  /** Attempts that got no response: refused while the platform was down, or cut by a kill. */
  networkErrors: number;
  /** Attempts that got a 5xx or 429 response, retried like network errors. */
  retryableStatuses: number;
  acknowledged: number;
  acknowledgedAsDuplicate: number;
}

/**
 * Sends signed deliveries from several senders at once, each with a new event id, and
 * retries a delivery that got no response, a 5xx or a 429 with the same event id and the
 * same bytes, as a provider does. Bounded by `maxDeliveries` and by the deadline given to
 * `finish`.
 */
export class DeliveryLoad {
  readonly deliveries = new Map<string, SentDelivery>();
  readonly #options: DeliveryLoadOptions;
  readonly #stats: DeliveryLoadStats = { sent: 0, attempts: 0, networkErrors: 0, retryableStatuses: 0, acknowledged: 0, acknowledgedAsDuplicate: 0 };
  #sending = false;
  #deadline = Number.POSITIVE_INFINITY;
  #senders: Promise<void>[] = [];
  #nextSequence = 1;
  #inFlight = 0;

  constructor(options: DeliveryLoadOptions) {
    this.#options = options;
  }

  get stats(): Readonly<DeliveryLoadStats> {
    return this.#stats;
  }

  /** Deliveries sent and not yet settled, including those waiting to be retried. */
  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    this.#sending = true;
    for (let sender = 0; sender < this.#options.concurrency; sender += 1) this.#senders.push(this.#runSender());
  }

  /**
   * Stops starting new deliveries and waits until every delivery sent is settled. Retries
   * end at `timeoutMs` from now, and deliveries still open then are marked `abandoned`.
   */
  async finish(timeoutMs: number): Promise<void> {
    this.#sending = false;
    this.#deadline = Date.now() + timeoutMs;
    await Promise.all(this.#senders);
  }

  /** Deliveries whose outcome is in `outcomes`. */
  list(...outcomes: DeliveryOutcome[]): SentDelivery[] {
    return [...this.deliveries.values()].filter((delivery) => outcomes.includes(delivery.outcome));
  }

  async #runSender(): Promise<void> {
    while (this.#sending && this.#nextSequence <= this.#options.maxDeliveries) {
      const sequence = this.#nextSequence;
      this.#nextSequence += 1;

      const { eventId, order } = buildFixtureDelivery(this.#options.runId, sequence);
      const delivery: SentDelivery = { eventId, order, body: JSON.stringify(order), outcome: 'pending', attempts: [] };
      this.deliveries.set(eventId, delivery);
      this.#stats.sent += 1;

      this.#inFlight += 1;
      await this.#deliver(delivery);
      this.#inFlight -= 1;

      await sleep(this.#options.pauseMs);
    }
  }

  async #deliver(delivery: SentDelivery): Promise<void> {
    while (Date.now() < this.#deadline) {
      const status = await this.#attempt(delivery);
      delivery.attempts.push(status);
      this.#stats.attempts += 1;

      if (typeof status === 'number' && status >= 200 && status < 300) {
        delivery.outcome = 'acknowledged';
        this.#stats.acknowledged += 1;
        return;
      }
      if (status === 409 && delivery.attempts.length > 1) {
        delivery.outcome = 'acknowledgedAsDuplicate';
        this.#stats.acknowledgedAsDuplicate += 1;
        return;
      }
      if (typeof status === 'number' && status !== 429 && status < 500) {
        delivery.outcome = 'unexpected';
        return;
      }

      if (typeof status === 'string') this.#stats.networkErrors += 1;
      else this.#stats.retryableStatuses += 1;
      await sleep(this.#options.retryDelayMs);
    }
    delivery.outcome = 'abandoned';
  }

  /** Sends one attempt and returns its status, or the error code when no response came. */
  async #attempt(delivery: SentDelivery): Promise<number | string> {
    const { url, secret } = this.#options;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: deliveryHeaders(secret, delivery.eventId, delivery.body),
        body: delivery.body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.status;
    } catch (error) {
      return networkErrorCode(error);
    }
  }
}

/** Returns the most specific code of a fetch failure, such as ECONNREFUSED or UND_ERR_SOCKET. */
function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
