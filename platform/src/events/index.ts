export { LUMIO_EVENT_TYPES, MAX_EVENT_PATTERNS, checkEventPatterns, matchesEventPatterns } from './event-types.js';
export type { LumioEventType } from './event-types.js';
export { STANDARD_RETRY_SCHEDULE_MS, nextRetryAt } from './retry-schedule.js';
export { SECRET_PREFIX, decodeSigningSecret, generateSigningSecret, signDelivery } from './signing.js';
export type { SignedHeaders } from './signing.js';
export { buildDeliveryBody } from './delivery-body.js';
export type { DeliveryBody } from './delivery-body.js';
export { checkSubscriptionUrl, MAX_URL_LENGTH } from './subscription-url.js';
export type { CheckSubscriptionUrlOptions, ResolveHost } from './subscription-url.js';
export { EventSubscriptionService } from './subscription-service.js';
export type { CreatedSubscription, CreateSubscriptionRequest, EventSubscriptionServiceOptions } from './subscription-service.js';
export { EventDispatcher } from './event-dispatcher.js';
export type { EventDispatcherOptions } from './event-dispatcher.js';
export { startOutgoingEvents } from './start-events.js';
export type { OutgoingEvents, StartOutgoingEventsOptions } from './start-events.js';
export {
  recordIntegrationConnected,
  recordIntegrationDisconnected,
  recordLumioEvent,
  recordSyncCompleted,
  recordSyncFailed,
  recordSyncStarted,
  recordWebhookEventDead,
} from './record-events.js';
