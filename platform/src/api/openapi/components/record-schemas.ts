import { arrayOf, dateTime, nullableDateTime, nullableString, objectOf, schemaRef, type SchemaObject } from '../builders.js';

const WRITE_STATUS: SchemaObject = { type: 'string', enum: ['pending', 'succeeded', 'failed', 'skipped'] };
const WRITE_OPERATION: SchemaObject = { type: 'string', enum: ['create', 'update'] };
const warning: SchemaObject = objectOf({ field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } }, { description: 'A field of the data that is not written to the provider, and why.' });
const recordData: SchemaObject = { type: 'object', description: "Canonical fields of the record, checked against Lumio's canonical schema of `object` by the endpoint." };

/** Stored canonical records and the writes that send records back to providers. */
export const recordSchemas: Record<string, SchemaObject> = {
  Record: objectOf({
    id: { type: 'string', description: 'Lumio record id, `rec_…`.' },
    integration: { type: 'string' },
    connectionId: { type: 'string' },
    object: { type: 'string', description: 'Canonical object name, such as `contact`.' },
    sourceObject: { type: 'string', description: 'Manifest object key, such as `contacts`.' },
    externalId: { type: 'string', description: "The provider's id of the record." },
    data: { description: 'The canonical record.' },
    deleted: { type: 'boolean' },
    deletedAt: nullableDateTime,
    sourceUpdatedAt: nullableDateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  RecordPage: objectOf({ records: arrayOf(schemaRef('Record')), nextCursor: { type: ['string', 'null'] } }),
  ProviderRecordRead: objectOf({
    connectionId: { type: 'string' },
    object: { type: 'string', description: 'Manifest object key, such as `contacts`.' },
    externalId: { type: 'string', description: "The provider's id of the record." },
    record: { description: "The provider's record, as the object's get operation returns it." },
    canonicalObject: { type: ['string', 'null'], description: 'Canonical object of the active mapping, or null when the object has none.' },
    data: { type: ['object', 'null'], description: 'The record mapped with the active mapping, or null without one. Nothing is stored.' },
    mappingErrors: arrayOf(objectOf({ field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } }), 'Values the mapping could not convert; each such field is null in `data`.'),
    cache: {
      type: 'string',
      enum: ['l1', 'l2', 'l3', 'miss', 'bypass'],
      description: 'Source of the response: `l1` process memory, `l2` Redis, `l3` the record as a sync or webhook event stored it, `miss` the provider after a cache miss or for an object without a cache lifetime, `bypass` the provider with `fresh=true`, whose response then replaces the cached copy.',
    },
    durationMs: { type: 'number', minimum: 0 },
  }),
  RecordInput: {
    type: 'object',
    properties: {
      data: recordData,
      externalId: { type: 'string', description: "The provider's id of the record to update." },
      id: { type: 'string', description: 'Lumio id (`rec_…`) of the record to update.' },
      changedAt: { type: 'string', description: 'When the change was made in Lumio, ISO 8601; the request time when absent.' },
    },
  },
  SingleWriteRequest: {
    type: 'object',
    description: 'A record to create (no `id` or `externalId`) or update.',
    properties: {
      integration: { type: 'string', description: 'Connector id (`hubspot`) or connection id (`conn_…`).' },
      object: { type: 'string', description: 'Canonical object name, such as `contact`.' },
      data: recordData,
      externalId: { type: 'string' },
      id: { type: 'string' },
      changedAt: { type: 'string' },
    },
  },
  BatchWriteRequest: {
    type: 'object',
    properties: {
      integration: { type: 'string' },
      object: { type: 'string' },
      records: arrayOf(schemaRef('RecordInput'), '1 to 1,000 records.'),
    },
  },
  AcceptedWrite: objectOf({
    id: { type: 'string', description: 'Write id, `wr_…`.' },
    operation: WRITE_OPERATION,
    status: { type: 'string', const: 'pending' },
    recordId: { type: 'string' },
    externalId: nullableString,
    warnings: arrayOf(warning),
  }),
  AcceptedSingleWrite: {
    allOf: [schemaRef('AcceptedWrite')],
    type: 'object',
    required: ['batchId', 'integration', 'connectionId', 'object'],
    properties: { batchId: { type: 'string' }, integration: { type: 'string' }, connectionId: { type: 'string' }, object: { type: 'string' } },
  },
  AcceptedBatch: objectOf({
    batchId: { type: 'string', description: 'Batch id, `wrb_…`; `GET /v1/records/writes?batch=` lists its outcomes.' },
    integration: { type: 'string' },
    connectionId: { type: 'string' },
    object: { type: 'string' },
    status: { type: 'string', const: 'pending' },
    count: { type: 'integer' },
    writes: arrayOf(schemaRef('AcceptedWrite'), 'One entry per record of the request, so at most 1,000.'),
  }),
  RecordWrite: objectOf({
    id: { type: 'string' },
    batchId: { type: 'string' },
    integration: nullableString,
    connectionId: { type: 'string' },
    object: { type: 'string' },
    operation: WRITE_OPERATION,
    status: WRITE_STATUS,
    recordId: { type: 'string' },
    externalId: nullableString,
    data: { type: 'object' },
    changedAt: dateTime,
    error: { type: ['object', 'null'], description: 'Why a failed write failed.', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } },
    reason: { type: ['object', 'null'], description: 'Why a skipped write was skipped.', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } },
    warnings: arrayOf(warning),
    attempts: { type: 'integer', minimum: 0 },
    createdAt: dateTime,
    updatedAt: dateTime,
    completedAt: nullableDateTime,
  }),
  RecordWritePage: objectOf({
    batchId: { type: 'string' },
    counts: objectOf({ pending: { type: 'integer' }, succeeded: { type: 'integer' }, failed: { type: 'integer' }, skipped: { type: 'integer' } }),
    writes: arrayOf(schemaRef('RecordWrite')),
    nextCursor: { type: ['string', 'null'] },
  }),
};
