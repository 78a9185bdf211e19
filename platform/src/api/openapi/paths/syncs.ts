import { arrayOf, jsonBody, jsonResponse, operation, pageParameters, queryParameter, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Syncs'];

/** Sync schedules, run history, run logs and previews of a connection. */
export const syncPaths: PathsObject = {
  '/v1/integrations/{id}/sync/schedules': {
    get: operation({
      operationId: 'listSyncSchedules',
      summary: 'List sync schedules',
      description: 'Not paginated: there is at most one schedule per object and mode.',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('The schedules with their next run.', schemaRef('SyncSchedules')) },
      errors: [404],
    }),
    put: operation({
      operationId: 'replaceSyncSchedules',
      summary: 'Replace every sync schedule',
      description: 'The list replaces the stored one; `[]` removes every schedule. A schedule whose definition is unchanged keeps its timing.',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody({ type: 'object', required: ['schedules'], additionalProperties: false, properties: { schedules: arrayOf(schemaRef('SyncScheduleDefinition')) } }),
      responses: { 200: jsonResponse('The saved schedules.', schemaRef('SyncSchedules')) },
      errors: [404],
      bodyChecks: 'types',
    }),
  },
  '/v1/integrations/{id}/sync/runs': {
    get: operation({
      operationId: 'listSyncRuns',
      summary: 'List the sync runs of a connection',
      description: 'Every run of the connection, queued, going and finished, newest first, paginated by cursor. `object` and `status` narrow the list.',
      tags,
      parameters: [
        integrationId,
        queryParameter('object', 'Manifest object key, such as `contacts`; an object the connector does not define is a 400.'),
        queryParameter('status', 'Keeps the runs with this status.', { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }),
        ...pageParameters(20, 200),
      ],
      responses: { 200: jsonResponse('A page of runs.', schemaRef('SyncRunPage')) },
      errors: [400, 404],
    }),
  },
  '/v1/integrations/{id}/sync/logs': {
    get: operation({
      operationId: 'listSyncLogs',
      summary: 'Read the log of a sync run',
      description: 'Entries of one run (the newest by default), oldest first, paginated by cursor.',
      tags,
      parameters: [
        integrationId,
        queryParameter('run', 'Run id; the newest run by default.'),
        queryParameter('filter', '`failed` keeps retries, record errors and failures; `pages` keeps page entries.', { type: 'string', enum: ['all', 'failed', 'pages'], default: 'all' }),
        ...pageParameters(100, 1000),
      ],
      responses: { 200: jsonResponse('A page of log entries.', schemaRef('SyncLogPage')) },
      errors: [400, 404],
    }),
  },
  '/v1/integrations/{id}/sync/preview': {
    post: operation({
      operationId: 'previewSync',
      summary: 'Preview the first page a sync would read',
      description: 'Reads and maps the first page and compares each record with the stored one. It writes no record, checkpoint or run.',
      tags,
      parameters: [integrationId],
      requestBody: jsonBody({
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: { type: { type: 'string', description: 'Manifest object key, such as `contacts`.' }, mode: { type: 'string', enum: ['full', 'incremental'], default: 'incremental' } },
      }),
      responses: { 200: jsonResponse('What the sync would do with each record of the page.', schemaRef('SyncPreview')) },
      errors: [404, 409, 502],
      bodyChecks: 'types',
    }),
  },
};
