import { jsonBody, jsonResponse, objectOf, operation, pageParameters, pathParameter, queryParameter, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Provider webhooks'];
const eventId = pathParameter('eventId', 'Webhook event id, `whe_…`.');
const EVENT_STATUS = { type: 'string', enum: ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'] };

/** Webhook settings, event log, replay and test delivery of a connection. */
export const integrationWebhookPaths: PathsObject = {
  '/v1/integrations/{id}/webhooks': {
    get: operation({
      operationId: 'getWebhookSettings',
      summary: 'Read the webhook URL, settings and event counts',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('Webhook settings without secrets.', schemaRef('WebhookSettings')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/webhooks/secrets': {
    put: operation({
      operationId: 'updateWebhookSettings',
      summary: 'Change webhook secrets, allowed addresses or verify token',
      description: 'Send at least one of the fields; those left out keep their value. During a rotation send the new secret first and keep the old one until the provider uses the new one.',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('WebhookSettingsChange')),
      responses: { 200: jsonResponse('The saved settings, without secrets.', schemaRef('WebhookSettingsSaved')) },
      errors: [404],
      bodyChecks: 'types',
    }),
  },
  '/v1/integrations/{id}/webhooks/logs': {
    get: operation({
      operationId: 'listWebhookEvents',
      summary: 'List received webhook events',
      description: 'Newest first, paginated by cursor.',
      tags,
      parameters: [integrationId, queryParameter('status', 'Only events with this status.', EVENT_STATUS), queryParameter('filter', 'Another name of `status`.', EVENT_STATUS), ...pageParameters(50, 500)],
      responses: { 200: jsonResponse('A page of events and the count per status.', schemaRef('WebhookEventPage')) },
      errors: [400, 404],
    }),
  },
  '/v1/integrations/{id}/webhooks/events/{eventId}': {
    get: operation({
      operationId: 'getWebhookEvent',
      summary: 'Read a webhook event with its payload and delivery',
      tags,
      parameters: [integrationId, eventId],
      responses: { 200: jsonResponse('The event.', schemaRef('WebhookEventDetail')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/webhooks/replay': {
    post: operation({
      operationId: 'replayWebhookEvents',
      summary: 'Process webhook events again',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('WebhookReplayRequest'), { required: false }),
      responses: { 200: jsonResponse('How many events were queued again.', schemaRef('Replayed')) },
      errors: [404],
      bodyChecks: 'types',
    }),
  },
  '/v1/integrations/{id}/webhooks/{eventId}/replay': {
    post: operation({
      operationId: 'replayWebhookEvent',
      summary: 'Process one webhook event again',
      tags,
      parameters: [integrationId, eventId],
      responses: { 202: jsonResponse('The event was queued again.', objectOf({ replayed: { type: 'integer' }, event: schemaRef('WebhookEvent') })) },
      errors: [404, 409],
    }),
  },
  '/v1/integrations/{id}/webhooks/test': {
    post: operation({
      operationId: 'sendTestWebhook',
      summary: 'Send a signed sample delivery through the webhook router',
      description: "Signs a sample with the connection's newest secret, sends it to the connection's webhook URL in process and waits briefly for its events. The status is 502 when the router rejected it.",
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('WebhookTestRequest'), { required: false }),
      responses: {
        200: jsonResponse('The router accepted the delivery.', schemaRef('WebhookTestResult')),
        502: jsonResponse("The router rejected the delivery; `response` contains the router's response.", schemaRef('WebhookTestResult')),
      },
      errors: [404, 422],
      bodyChecks: 'types',
    }),
  },
};
