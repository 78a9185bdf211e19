import { jsonBody, jsonResponse, operation, pageParameters, pathParameter, queryParameter, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Records'];

/** Canonical records: read them, and write them back to providers. */
export const recordPaths: PathsObject = {
  '/v1/integrations/{id}/objects/{object}/{externalId}': {
    get: operation({
      operationId: 'readProviderRecord',
      summary: 'Read one record live from the provider',
      description:
        "Sends the object's get operation through the shared services, ahead of sync pages in the rate limiter, and maps the record with the active mapping without storing it. When the manifest gives the object a `cacheTtlSeconds`, a cached copy younger than that answers, and with `cacheFromRecordStore` so does the record a sync or webhook event stored. Writes and webhook events for the object drop the cached copies, a sync that stores a newer version drops those in memory and Redis, and a read with `fresh=true` replaces them.",
      tags,
      parameters: [
        integrationId,
        pathParameter('object', 'Manifest object key, such as `contacts`.'),
        pathParameter('externalId', "The provider's id of the record."),
        queryParameter('fresh', 'Whether to skip every cache layer and read the provider.', { type: 'boolean', default: false }),
      ],
      responses: { 200: jsonResponse('The record, mapped, and what answered.', schemaRef('ProviderRecordRead')) },
      errors: [400, 404, 409, 502],
    }),
  },
  '/v1/records': {
    get: operation({
      operationId: 'listRecords',
      summary: 'List stored records of a canonical object',
      description: 'In creation order, paginated by cursor. Records deleted at the provider are left out unless `includeDeleted=true`.',
      tags,
      parameters: [
        queryParameter('object', 'Canonical object name, such as `contact`.', { type: 'string' }, true),
        queryParameter('integration', 'Only records of this connection: a connector id or a connection id.'),
        queryParameter('includeDeleted', 'Whether to include records deleted at the provider.', { type: 'boolean', default: false }),
        ...pageParameters(100, 1000),
      ],
      responses: { 200: jsonResponse('A page of records.', schemaRef('RecordPage')) },
      errors: [400, 404],
    }),
    post: operation({
      operationId: 'writeRecord',
      summary: 'Write one canonical record to the provider',
      description:
        'Checks the record against the canonical schema and the connection\'s mapping, stores the write and responds 202, and a job sends it to the provider later. Without `id` or `externalId` the record is created; with one it is updated. Every problem of the request is listed in `problems`, and nothing is written when there is one.',
      tags,
      requestBody: jsonBody(schemaRef('SingleWriteRequest')),
      responses: { 202: jsonResponse('The write was accepted.', schemaRef('AcceptedSingleWrite')) },
      errors: [404, 409],
      bodyChecks: 'types',
    }),
  },
  '/v1/records/batch': {
    post: operation({
      operationId: 'writeRecords',
      summary: 'Write up to 1,000 canonical records to the provider',
      tags,
      requestBody: jsonBody(schemaRef('BatchWriteRequest')),
      responses: { 202: jsonResponse('The writes were accepted.', schemaRef('AcceptedBatch')) },
      errors: [404, 409],
      bodyChecks: 'types',
    }),
  },
  '/v1/records/writes': {
    get: operation({
      operationId: 'listRecordWrites',
      summary: 'List the writes of a batch and their outcomes',
      tags,
      parameters: [
        queryParameter('batch', 'The `batchId` that the write request returned.', { type: 'string' }, true),
        queryParameter('status', 'Only writes with this status.', { type: 'string', enum: ['pending', 'succeeded', 'failed', 'skipped'] }),
        ...pageParameters(100, 1000),
      ],
      responses: { 200: jsonResponse('A page of writes and the count per status.', schemaRef('RecordWritePage')) },
      errors: [400, 404],
    }),
  },
  '/v1/records/writes/{id}': {
    get: operation({
      operationId: 'getRecordWrite',
      summary: 'Read one write and its outcome',
      tags,
      parameters: [pathParameter('id', 'Write id, `wr_…`.')],
      responses: { 200: jsonResponse('The write.', schemaRef('RecordWrite')) },
      errors: [404],
    }),
  },
};
