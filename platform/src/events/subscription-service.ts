import { LumioError } from '../errors/index.js';
import { describeUrl } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import type { CredentialCipher } from '../security/index.js';
import { createTimeOrderedId, type Store, type StoredEventSubscription } from '../store/index.js';
import { checkEventPatterns } from './event-types.js';
import { decodeSigningSecret, generateSigningSecret } from './signing.js';
import { encryptSubscriptionSecret } from './subscription-secret.js';
import { checkSubscriptionUrl, type ResolveHost } from './subscription-url.js';

export interface EventSubscriptionServiceOptions {
  store: Store;
  cipher: CredentialCipher;
  /** When false, URLs whose host resolves to a private, loopback, link-local or metadata address are rejected. */
  allowPrivateNetwork: boolean;
  /** Default: the system resolver. */
  resolveHost?: ResolveHost;
  logger: Logger;
}

export interface CreateSubscriptionRequest {
  url: unknown;
  events: unknown;
  /** A `whsec_` secret, or undefined to have one generated. */
  secret?: unknown;
}

export interface CreatedSubscription {
  subscription: StoredEventSubscription;
  /** The secret Lumio generated, returned this once, or null when the caller chose one. */
  generatedSecret: string | null;
}

/** Creates, reads and deletes a workspace's subscriptions to Lumio's own events. */
export class EventSubscriptionService {
  readonly #options: EventSubscriptionServiceOptions;

  constructor(options: EventSubscriptionServiceOptions) {
    this.#options = options;
  }

  /**
   * Validates and stores a subscription. The secret is checked and encrypted before
   * anything is stored, and the URL's host is resolved unless private networks are allowed.
   */
  async create(workspaceId: string, request: CreateSubscriptionRequest): Promise<CreatedSubscription> {
    const { store, cipher, logger } = this.#options;
    const events = checkEventPatterns(request.events);
    const generatedSecret = request.secret === undefined || request.secret === null ? generateSigningSecret() : null;
    const secret = generatedSecret ?? (request.secret as string);
    decodeSigningSecret(secret);
    const url = await checkSubscriptionUrl(request.url, { allowPrivateNetwork: this.#options.allowPrivateNetwork, resolve: this.#options.resolveHost });

    const id = createTimeOrderedId('sub');
    const subscription = await store.eventSubscriptions.create({ id, workspaceId, url, events, secret: encryptSubscriptionSecret(cipher, id, secret) });

    logger.info({ workspaceId, subscriptionId: id, url: describeUrl(new URL(url)), events, generatedSecret: generatedSecret !== null }, 'event subscription created');
    return { subscription, generatedSecret };
  }

  list(workspaceId: string): Promise<StoredEventSubscription[]> {
    return this.#options.store.eventSubscriptions.list(workspaceId);
  }

  /** Returns the workspace's subscription, or raises EVENT_SUBSCRIPTION_NOT_FOUND (404). */
  async get(workspaceId: string, id: string): Promise<StoredEventSubscription> {
    const subscription = await this.#options.store.eventSubscriptions.get(workspaceId, id);
    if (!subscription) throw subscriptionNotFound(id);
    return subscription;
  }

  /** Deletes the subscription with its pending deliveries, or raises EVENT_SUBSCRIPTION_NOT_FOUND (404). */
  async delete(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.#options.store.eventSubscriptions.delete(workspaceId, id);
    if (!deleted) throw subscriptionNotFound(id);
    this.#options.logger.info({ workspaceId, subscriptionId: id }, 'event subscription deleted');
  }
}

function subscriptionNotFound(id: string): LumioError {
  return new LumioError('EVENT_SUBSCRIPTION_NOT_FOUND', `This workspace has no event subscription ${id}; GET /v1/webhooks lists them.`, { status: 404, fault: 'caller' });
}
