import { arrayOf, dateTime, nullableDateTime, nullableString, objectOf, schemaRef, type SchemaObject } from '../builders.js';

const statusCounts: SchemaObject = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Count per status.' };
const REPLAY_STATUS: SchemaObject = { type: 'string', enum: ['dead', 'failed'], default: 'dead' };

/** Provider webhooks received by a connection, and subscriptions to Lumio's own events. */
export const webhookSchemas: Record<string, SchemaObject> = {
  WebhookSettings: objectOf(
    {
      integration: { type: 'string' },
      connectionId: { type: 'string' },
      url: { type: ['string', 'null'], description: 'The URL to register at the provider; it contains a secret token.' },
      connectorUrl: { type: ['string', 'null'], description: "Shared URL for providers that name the account inside the payload, or null." },
      scheme: { type: 'string', description: 'The signature scheme the manifest declares.' },
      handshake: nullableString,
      secrets: { type: 'integer', description: 'How many signing secrets are stored; secrets are never returned.' },
      verifyToken: { type: 'boolean', description: 'Whether a handshake verify token is stored.' },
      allowedIps: arrayOf({ type: 'string' }),
      events: statusCounts,
      rejectedSinceStart: arrayOf({ type: 'object' }, 'Deliveries this process rejected since it started, by reason.'),
    },
    { optional: ['scheme'] },
  ),
  WebhookSettingsChange: {
    type: 'object',
    properties: {
      secrets: arrayOf({ type: 'string' }, 'Signing secrets, newest first, at most 10; the list replaces the stored one.'),
      allowedIps: arrayOf({ type: 'string' }, 'Addresses or CIDR ranges, at most 100; an empty list allows any source.'),
      verifyToken: { type: ['string', 'null'], description: 'Handshake verify token, or null to remove it.' },
    },
  },
  WebhookSettingsSaved: objectOf({ connectionId: { type: 'string' }, secrets: { type: 'integer' }, verifyToken: { type: 'boolean' }, allowedIps: arrayOf({ type: 'string' }) }),
  WebhookEvent: objectOf({
    id: { type: 'string', description: 'Event id, `whe_…`.' },
    eventType: nullableString,
    providerEventId: nullableString,
    status: { type: 'string', enum: ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'] },
    attempts: { type: 'integer', minimum: 0 },
    receivedAt: dateTime,
    occurredAt: nullableDateTime,
    processedAt: nullableDateTime,
    nextAttemptAt: nullableDateTime,
    error: schemaRef('ErrorSummary'),
    result: { description: 'What processing did, such as the records it changed.' },
  }),
  WebhookEventDetail: {
    allOf: [schemaRef('WebhookEvent')],
    type: 'object',
    required: ['payload', 'delivery'],
    properties: {
      payload: { description: 'The event as the provider sent it, with the values of token-like keys replaced by `[redacted]`.' },
      delivery: {
        type: ['object', 'null'],
        properties: { id: { type: 'string' }, headers: { type: 'object' }, contentType: nullableString, bytes: { type: 'integer' }, sourceIp: nullableString },
      },
    },
  },
  WebhookEventPage: objectOf({ events: arrayOf(schemaRef('WebhookEvent')), nextCursor: { type: ['string', 'null'] }, counts: statusCounts }),
  WebhookReplayRequest: {
    type: 'object',
    description: '`eventIds` replays those events (1 to 1,000); otherwise every event with `status` is replayed.',
    properties: { eventIds: arrayOf({ type: 'string' }), status: REPLAY_STATUS },
  },
  WebhookTestRequest: {
    type: 'object',
    properties: {
      eventType: { type: 'string', description: 'Event type of the sample delivery; the first one the manifest declares by default.' },
      payload: { description: 'Payload to send instead of the generated sample.' },
    },
  },
  WebhookTestResult: objectOf({
    delivered: { type: 'boolean' },
    response: objectOf({ status: { type: 'integer' }, body: {} }, { description: "The router's response, as the provider would have seen it." }),
    events: arrayOf(schemaRef('WebhookEvent')),
  }),
  Replayed: objectOf({ replayed: { type: 'integer', minimum: 0, description: 'How many were queued again.' } }),
  EventSubscriptionRequest: {
    type: 'object',
    properties: {
      url: { type: 'string', description: 'An http or https URL that receives the events.' },
      events: arrayOf({ type: 'string' }, 'Event types or patterns, such as `sync.completed`, `record.*` or `*`.'),
      secret: { type: 'string', description: 'A Standard Webhooks secret (`whsec_` and base64 of 24 to 64 bytes); generated and returned once when absent.' },
    },
  },
  EventSubscription: {
    type: 'object',
    required: ['id', 'url', 'events', 'createdAt'],
    properties: {
      id: { type: 'string', description: 'Subscription id, `sub_…`.' },
      url: { type: 'string' },
      events: arrayOf({ type: 'string' }),
      createdAt: dateTime,
      secret: { type: 'string', description: 'Only in the response to the POST that generated it.' },
    },
  },
  EventSubscriptionDetail: {
    allOf: [schemaRef('EventSubscription')],
    type: 'object',
    required: ['deliveries'],
    properties: { deliveries: statusCounts },
  },
  EventSubscriptionPage: objectOf({ webhooks: arrayOf(schemaRef('EventSubscription')), nextCursor: { type: ['string', 'null'] } }),
  EventDelivery: objectOf({
    id: { type: 'string', description: 'The `webhook-id` header the subscriber received.' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'sending', 'succeeded', 'failed', 'dead'] },
    attemptCount: { type: 'integer' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastAttemptAt: nullableDateTime,
    nextAttemptAt: nullableDateTime,
    succeededAt: nullableDateTime,
    createdAt: dateTime,
    error: schemaRef('ErrorSummary'),
    attempts: arrayOf(
      objectOf({
        number: { type: 'integer' },
        attemptedAt: dateTime,
        durationMs: { type: ['number', 'null'] },
        statusCode: { type: ['integer', 'null'] },
        error: schemaRef('ErrorSummary'),
        responseExcerpt: nullableString,
      }),
      'Every attempt; bounded by the retry schedule.',
    ),
  }),
  EventDeliveryPage: objectOf({ deliveries: arrayOf(schemaRef('EventDelivery')), nextCursor: { type: ['string', 'null'] } }),
  EventReplayRequest: {
    type: 'object',
    description: '`deliveryIds` replays those deliveries (1 to 1,000); otherwise every delivery with `status` is replayed. An empty body replays the dead ones.',
    properties: { deliveryIds: arrayOf({ type: 'string' }), status: REPLAY_STATUS },
  },
};
