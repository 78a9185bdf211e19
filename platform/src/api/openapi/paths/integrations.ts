import { arrayOf, jsonBody, jsonResponse, objectOf, operation, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Integrations'];

/** Connections: list, read, connect, disconnect, start a sync, health, status and write-back settings. */
export const integrationPaths: PathsObject = {
  '/v1/integrations': {
    get: operation({
      operationId: 'listIntegrations',
      summary: 'List installed connectors and their connections',
      description:
        'One entry per connection, and one per installed connector the workspace has not connected. Not paginated: the list is bounded by the installed connectors and the connections a workspace makes to them.',
      tags,
      responses: { 200: jsonResponse('The integrations.', objectOf({ integrations: arrayOf(schemaRef('IntegrationListEntry')) })) },
    }),
  },
  '/v1/integrations/{id}': {
    get: operation({
      operationId: 'getIntegration',
      summary: 'Read a connection',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The connection.', schemaRef('Integration')) },
      errors: [404, 409],
    }),
  },
  '/v1/integrations/{id}/connect': {
    post: operation({
      operationId: 'connectIntegration',
      summary: 'Connect, or reconnect, with credentials',
      description:
        'Tests the credentials against the provider (unless `test` is false), then saves them encrypted. A connection id reconnects that connection; a connector id connects by name. For a connector whose auth method is the OAuth2 authorization code, a call without tokens responds with `authorization_required` with the URL to send the user to.',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('ConnectRequest')),
      responses: { 200: jsonResponse('The saved connection, or the authorization to ask the user for.', { oneOf: [schemaRef('Integration'), schemaRef('OAuthAuthorization')] }) },
      errors: [404, 409, 422, 502],
      bodyChecks: 'types',
    }),
  },
  '/v1/integrations/{id}/disconnect': {
    post: operation({
      operationId: 'disconnectIntegration',
      summary: 'Disconnect and delete the stored credentials',
      description: 'Records, mappings and history are kept, so connecting again resumes where the connection left off.',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The disconnected connection.', schemaRef('Integration')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/sync': {
    post: operation({
      operationId: 'startSync',
      summary: 'Start a sync of one object',
      description: 'Queues a run and responds 202. While a run of the same object is queued or going, responds 200 with that run and `alreadyRunning: true`.',
      tags: ['Syncs'],
      parameters: [integrationId],
      requestBody: jsonBody({
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', description: 'Manifest object key, such as `contacts`.' },
          mode: { type: 'string', enum: ['full', 'incremental'], default: 'incremental' },
        },
      }),
      responses: {
        200: jsonResponse('A run of this object was already going; it is returned.', schemaRef('SyncStarted')),
        202: jsonResponse('The run was queued.', schemaRef('SyncStarted')),
      },
      errors: [404, 409],
      bodyChecks: 'types',
    }),
  },
  '/v1/integrations/{id}/health': {
    get: operation({
      operationId: 'getIntegrationHealth',
      summary: 'Read health, circuit breakers and rate-limit budgets',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('Health of the connection.', schemaRef('IntegrationHealth')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/status': {
    get: operation({
      operationId: 'getIntegrationStatus',
      summary: 'Read sync status and progress',
      description: 'The same response as `GET /v1/integrations/{id}/sync/status`.',
      tags: ['Syncs'],
      parameters: [integrationId],
      responses: { 200: jsonResponse('Status of the connection and its runs.', schemaRef('IntegrationStatus')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/sync/status': {
    get: operation({
      operationId: 'getSyncStatus',
      summary: 'Read sync status and progress',
      description: 'The same response as `GET /v1/integrations/{id}/status`.',
      tags: ['Syncs'],
      parameters: [integrationId],
      responses: { 200: jsonResponse('Status of the connection and its runs.', schemaRef('IntegrationStatus')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/writeback': {
    get: operation({
      operationId: 'getWritebackSettings',
      summary: 'Read the write-back conflict policy and match fields',
      tags: ['Records'],
      parameters: [integrationId],
      responses: { 200: jsonResponse('The settings, defaults filled in.', schemaRef('WritebackSettings')) },
      errors: [404],
    }),
    put: operation({
      operationId: 'saveWritebackSettings',
      summary: 'Change the write-back conflict policy or match fields',
      description: 'Fields left out keep their saved value; `matchOn` entries replace the saved entries of the same objects.',
      tags: ['Records'],
      parameters: [integrationId],
      requestBody: jsonBody({
        type: 'object',
        additionalProperties: false,
        properties: {
          conflictPolicy: { type: 'string', enum: ['provider_wins', 'lumio_wins', 'newest_wins'] },
          matchOn: { type: 'object', additionalProperties: { type: 'string' }, description: 'Canonical object name to one of its field names, such as `{"contact": "email"}`.' },
        },
      }),
      responses: { 200: jsonResponse('The saved settings.', schemaRef('WritebackSettings')) },
      errors: [404],
      bodyChecks: 'types',
    }),
  },
};
