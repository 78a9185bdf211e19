import { jsonResponse, operation, pathParameter, schemaRef, type PathsObject } from '../builders.js';

const connector = pathParameter('connector', 'Connector id, such as `shopify`.');
const token = pathParameter('token', "The connection's secret webhook token, part of the URL `GET /v1/integrations/{id}/webhooks` returns.");

const deliveryBody = {
  required: false,
  description: "The provider's delivery as it sent it, in any content type. The router verifies the signature over these exact bytes.",
  content: { '*/*': { schema: {} } },
};
const acknowledged = {
  description: "Stored; the body and content type are the acknowledgement the provider's scheme expects, often empty.",
  content: { '*/*': { schema: {} } },
};

/** Health checks, Prometheus metrics, the provider-facing webhook router and this reference. */
export const platformPaths: PathsObject = {
  '/health': {
    get: operation({
      operationId: 'getHealth',
      summary: 'Overall health, one check per dependency, and uptime',
      tags: ['Health'],
      access: 'public',
      responses: {
        200: jsonResponse('Healthy, or degraded when a connector failed to load or a connection is degraded or unhealthy.', schemaRef('Health')),
        503: jsonResponse('The database, Redis or the job queue does not respond.', schemaRef('Health')),
      },
    }),
  },
  '/health/live': {
    get: operation({ operationId: 'getLiveness', summary: 'Whether the process responds', tags: ['Health'], access: 'public', responses: { 200: jsonResponse('The process is up.', schemaRef('Health')) } }),
  },
  '/health/ready': {
    get: operation({
      operationId: 'getReadiness',
      summary: 'Whether the process can serve requests',
      tags: ['Health'],
      access: 'public',
      responses: { 200: jsonResponse('Ready.', schemaRef('Health')), 503: jsonResponse('The database, Redis or the job queue does not respond.', schemaRef('Health')) },
    }),
  },
  '/metrics': {
    get: operation({
      operationId: 'getMetrics',
      summary: 'Every platform metric in the Prometheus text format',
      description: 'Any valid API key may scrape. The metrics carry connector ids but no workspace or connection ids.',
      tags: ['Health'],
      responses: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    }),
  },
  '/webhooks/{connector}/{token}': {
    post: operation({
      operationId: 'receiveWebhook',
      summary: "Receive a provider's webhook delivery",
      description:
        'For providers, not API clients: the URL token and the signature authenticate the delivery. It is verified, stored and only then acknowledged, and a worker processes it later. Responses are never compressed, and request bodies are not checked against a schema, because the signature covers the raw bytes.',
      tags: ['Provider webhooks'],
      access: 'public',
      parameters: [connector, token],
      requestBody: deliveryBody,
      responses: { 200: acknowledged },
      errors: [401, 403, 404, 405, 409, 410, 422, 429, 503],
    }),
    get: operation({
      operationId: 'completeWebhookHandshake',
      summary: "Answer a provider's subscription handshake",
      description: 'Providers such as Meta and LinkedIn check the URL with a GET challenge before sending deliveries.',
      tags: ['Provider webhooks'],
      access: 'public',
      parameters: [connector, token],
      responses: { 200: { description: 'The challenge response the provider expects.', content: { '*/*': { schema: {} } } } },
      errors: [400, 401, 403, 404, 405],
    }),
  },
  '/webhooks/{connector}': {
    post: operation({
      operationId: 'receiveConnectorWebhook',
      summary: 'Receive a delivery that names the account inside its payload',
      description: 'For connectors whose manifest declares a connection lookup; the payload field it names selects the connection.',
      tags: ['Provider webhooks'],
      access: 'public',
      parameters: [connector],
      requestBody: deliveryBody,
      responses: { 200: acknowledged },
      errors: [401, 403, 404, 405, 409, 410, 422, 429, 503],
    }),
  },
  '/v1/openapi.json': {
    get: operation({
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI 3.1 document',
      tags: ['Reference'],
      access: 'public',
      responses: { 200: { description: 'The document.', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } } } },
    }),
  },
  '/v1/docs': {
    get: operation({
      operationId: 'getReferencePage',
      summary: 'A readable reference page rendered from this document',
      description: 'One self-contained HTML page: no scripts, fonts or styles from elsewhere.',
      tags: ['Reference'],
      access: 'public',
      responses: { 200: { description: 'The reference page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    }),
  },
};
