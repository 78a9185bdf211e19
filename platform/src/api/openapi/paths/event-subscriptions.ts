import { jsonBody, jsonResponse, noContent, objectOf, operation, pageParameters, pathParameter, queryParameter, schemaRef, type PathsObject } from '../builders.js';

const tags = ['Event subscriptions'];
const subscriptionId = pathParameter('id', 'Subscription id, `sub_…`.');
const deliveryId = pathParameter('deliveryId', 'Delivery id, `msg_…`.');

/** Subscriptions to Lumio's own events, their deliveries and replays. */
export const eventSubscriptionPaths: PathsObject = {
  '/v1/webhooks': {
    get: operation({
      operationId: 'listEventSubscriptions',
      summary: 'List event subscriptions',
      description: 'Oldest first, paginated by cursor. Secrets are never returned.',
      tags,
      parameters: pageParameters(50, 200),
      responses: { 200: jsonResponse('A page of subscriptions.', schemaRef('EventSubscriptionPage')) },
      errors: [400],
    }),
    post: operation({
      operationId: 'createEventSubscription',
      summary: "Subscribe a URL to Lumio's events",
      description:
        'Deliveries are signed with Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and retried on a schedule. Without `secret` one is generated and returned once, in this response.',
      tags,
      requestBody: jsonBody(schemaRef('EventSubscriptionRequest')),
      responses: { 201: jsonResponse('The subscription.', schemaRef('EventSubscription')) },
      errors: [422],
      bodyChecks: 'types',
    }),
  },
  '/v1/webhooks/{id}': {
    get: operation({
      operationId: 'getEventSubscription',
      summary: 'Read a subscription and its delivery counts',
      tags,
      parameters: [subscriptionId],
      responses: { 200: jsonResponse('The subscription.', schemaRef('EventSubscriptionDetail')) },
      errors: [404],
    }),
    delete: operation({
      operationId: 'deleteEventSubscription',
      summary: 'Delete a subscription and its pending deliveries',
      tags,
      parameters: [subscriptionId],
      responses: { 204: noContent },
      errors: [404],
    }),
  },
  '/v1/webhooks/{id}/deliveries': {
    get: operation({
      operationId: 'listEventDeliveries',
      summary: 'List deliveries of a subscription with their attempts',
      description: 'Newest first, paginated by cursor.',
      tags,
      parameters: [subscriptionId, queryParameter('status', 'Only deliveries with this status.', { type: 'string', enum: ['pending', 'sending', 'succeeded', 'failed', 'dead'] }), ...pageParameters(50, 200)],
      responses: { 200: jsonResponse('A page of deliveries.', schemaRef('EventDeliveryPage')) },
      errors: [400, 404],
    }),
  },
  '/v1/webhooks/{id}/deliveries/replay': {
    post: operation({
      operationId: 'replayEventDeliveries',
      summary: 'Send deliveries again',
      tags,
      parameters: [subscriptionId],
      requestBody: jsonBody(schemaRef('EventReplayRequest'), { required: false }),
      responses: { 200: jsonResponse('How many deliveries were queued again.', schemaRef('Replayed')) },
      errors: [404],
      bodyChecks: 'types',
    }),
  },
  '/v1/webhooks/{id}/deliveries/{deliveryId}/replay': {
    post: operation({
      operationId: 'replayEventDelivery',
      summary: 'Send one delivery again',
      tags,
      parameters: [subscriptionId, deliveryId],
      responses: { 202: jsonResponse('The delivery was queued again.', objectOf({ replayed: { type: 'integer' }, delivery: schemaRef('EventDelivery') })) },
      errors: [404, 409],
    }),
  },
};
