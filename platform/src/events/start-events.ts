import type { Logger } from '../observability/index.js';
import type { CredentialCipher } from '../security/index.js';
import type { Store } from '../store/index.js';
import { EventDispatcher, type EventDispatcherOptions } from './event-dispatcher.js';
import { EventSubscriptionService } from './subscription-service.js';

export interface StartOutgoingEventsOptions {
  store: Store;
  cipher: CredentialCipher;
  /** Whether subscription URLs may point at private, loopback, link-local or metadata addresses. */
  allowPrivateNetwork: boolean;
  logger: Logger;
  /** Dispatcher settings other than the ones above, such as `timeoutMs`. */
  dispatcher?: Omit<EventDispatcherOptions, 'store' | 'cipher' | 'allowPrivateNetwork' | 'logger'>;
}

/** The outgoing-events parts, as the API and the platform use them. */
export interface OutgoingEvents {
  subscriptions: EventSubscriptionService;
  dispatcher: EventDispatcher;
  close(): Promise<void>;
}

/**
 * Builds the subscription service and starts the dispatcher that sends Lumio's own events
 * to subscribers.
 *
 * NOTE: no environment variable sets `dispatcher` yet, so the platform always runs with the
 * defaults: a 15-second timeout and the standard retry schedule.
 */
export function startOutgoingEvents(options: StartOutgoingEventsOptions): OutgoingEvents {
  const { store, cipher, allowPrivateNetwork } = options;
  const logger = options.logger.child({ component: 'events' });

  const subscriptions = new EventSubscriptionService({ store, cipher, allowPrivateNetwork, logger });
  const dispatcher = new EventDispatcher({ ...options.dispatcher, store, cipher, allowPrivateNetwork, logger });
  dispatcher.start();

  return {
    subscriptions,
    dispatcher,
    close: () => dispatcher.stop(),
  };
}
