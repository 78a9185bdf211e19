import { jsonBody, jsonResponse, operation, pathParameter, queryParameter, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Operations'];

/** Support tools of a connection, its actions, and the OAuth callback. */
export const operationsPaths: PathsObject = {
  '/v1/integrations/{id}/test': {
    post: operation({
      operationId: 'testConnection',
      summary: 'Test the stored credentials against the provider',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The result; a failed test is `ok: false`, not an error status.', schemaRef('ConnectionTestResult')) },
      errors: [404, 409],
    }),
  },
  '/v1/integrations/{id}/metrics': {
    get: operation({
      operationId: 'getIntegrationMetrics',
      summary: 'Read request, error, latency, rate-limit, cache and sync counters',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The counters.', schemaRef('IntegrationMetrics')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/debug': {
    get: operation({
      operationId: 'getDebugMode',
      summary: 'Read whether debug mode is on, and until when',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The debug mode in force.', schemaRef('DebugMode')) },
      errors: [404],
    }),
    post: operation({
      operationId: 'setDebugMode',
      summary: 'Turn verbose logging of the connection on or off',
      description: 'Debug mode logs every provider request with headers, payloads and timings (secrets redacted) and turns itself off after `duration` seconds.',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('DebugModeRequest')),
      responses: { 200: jsonResponse('The debug mode now in force.', schemaRef('DebugMode')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/diagnostic': {
    get: operation({
      operationId: 'getDiagnostic',
      summary: 'Build a support report of the connection',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The report, every secret redacted.', schemaRef('Diagnostic')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/actions': {
    get: operation({
      operationId: 'listActions',
      summary: "List the connector's actions",
      tags: ['Actions'],
      parameters: [integrationId],
      responses: { 200: jsonResponse('The actions with their input schemas.', schemaRef('ActionList')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/actions/{name}': {
    post: operation({
      operationId: 'runAction',
      summary: 'Run an action',
      description: 'Declared actions send their request template through the shared services; plugin actions run in the sandbox.',
      tags: ['Actions'],
      parameters: [integrationId, pathParameter('name', 'Action name, from `GET .../actions`.')],
      requestBody: jsonBody(schemaRef('ActionRequest'), { required: false }),
      responses: { 200: jsonResponse("The action's output.", schemaRef('ActionResult')) },
      errors: [404, 409, 422, 502],
      bodyChecks: 'types',
    }),
  },
  '/v1/oauth/callback': {
    get: operation({
      operationId: 'completeOAuth',
      summary: "The provider's redirect after the user authorised Lumio",
      description: 'No API key: the `state` authenticates the request. Exchanges the code, stores the tokens and redirects to the studio.',
      tags: ['Integrations'],
      access: 'public',
      parameters: [queryParameter('code', 'Authorization code from the provider.', { type: 'string' }, true), queryParameter('state', 'The `state` that the connect call returned.', { type: 'string' }, true)],
      responses: {
        302: {
          description: 'To `<public url>/studio/integrations/{connectionId}?connected=1`, or `?error=<code>` when the exchange failed.',
          headers: { Location: { schema: { type: 'string' } } },
        },
      },
      errors: [400],
    }),
  },
};
