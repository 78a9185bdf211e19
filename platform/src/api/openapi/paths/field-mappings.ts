import { jsonBody, jsonResponse, operation, pageParameters, pathParameter, schemaRef, type PathsObject } from '../builders.js';
import { integrationId } from './parameters.js';

const tags = ['Field mappings'];
const object = pathParameter('object', 'Manifest object key, such as `contacts`.');
const version = pathParameter('version', 'Version number, from 1.');
const created = (description: string) => ({ 201: jsonResponse(description, schemaRef('FieldMappingVersion')) });

/** Versioned field mappings of a connection. History is never rewritten: every change is a new version. */
export const fieldMappingPaths: PathsObject = {
  '/v1/integrations/{id}/field-mappings': {
    get: operation({
      operationId: 'listFieldMappings',
      summary: 'List the active mapping of each object',
      tags,
      parameters: [integrationId],
      responses: { 200: jsonResponse('One entry per object of the manifest.', schemaRef('FieldMappingList')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/field-mappings/preview': {
    post: operation({
      operationId: 'previewFieldMapping',
      summary: 'Map sample records with a draft mapping',
      description: "Samples come from the connection's newest stored records or, before the first sync, from one page read live (`sampleSource`). Nothing is saved.",
      tags,
      parameters: [integrationId],
      requestBody: jsonBody(schemaRef('FieldMappingPreviewRequest')),
      responses: { 200: jsonResponse('Each sample mapped with the active and the draft mapping.', schemaRef('FieldMappingPreview')) },
      errors: [404, 422],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}': {
    get: operation({
      operationId: 'getFieldMapping',
      summary: 'Read the active mapping of an object',
      tags,
      parameters: [integrationId, object],
      responses: { 200: jsonResponse('The active version.', schemaRef('FieldMappingVersion')) },
      errors: [404],
    }),
    put: operation({
      operationId: 'saveFieldMapping',
      summary: 'Save a new version of the mapping',
      description: 'An invalid definition is a 422 `MAPPING_INVALID` listing every problem; a `baseVersion` older than the active version is a 409 `MAPPING_VERSION_CONFLICT`.',
      tags,
      parameters: [integrationId, object],
      requestBody: jsonBody(schemaRef('FieldMappingChange')),
      responses: created('The new active version.'),
      errors: [404, 409, 422],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}/versions': {
    get: operation({
      operationId: 'listFieldMappingVersions',
      summary: 'List the versions of a mapping',
      description: 'Newest first, paginated by cursor.',
      tags,
      parameters: [integrationId, object, ...pageParameters(50, 200)],
      responses: { 200: jsonResponse('A page of versions.', schemaRef('FieldMappingVersionPage')) },
      errors: [400, 404],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}/versions/{version}': {
    get: operation({
      operationId: 'getFieldMappingVersion',
      summary: 'Read one version of a mapping',
      tags,
      parameters: [integrationId, object, version],
      responses: { 200: jsonResponse('The version.', schemaRef('FieldMappingVersion')) },
      errors: [404],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}/rollback': {
    post: operation({
      operationId: 'rollBackFieldMapping',
      summary: 'Make a new version that copies an older one',
      tags,
      parameters: [integrationId, object],
      requestBody: jsonBody(schemaRef('FieldMappingRollback')),
      responses: created('The new active version.'),
      errors: [404, 409],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}/restore-default': {
    post: operation({
      operationId: 'restoreDefaultFieldMapping',
      summary: "Make a new version with the manifest's default mapping",
      tags,
      parameters: [integrationId, object],
      requestBody: jsonBody(schemaRef('FieldMappingRestore'), { required: false }),
      responses: created('The new active version.'),
      errors: [404, 409],
    }),
  },
  '/v1/integrations/{id}/field-mappings/{object}/catalog': {
    get: operation({
      operationId: 'getFieldMappingCatalog',
      summary: 'List provider fields, canonical fields and transforms for the mapping editor',
      tags,
      parameters: [integrationId, object],
      responses: { 200: jsonResponse('The catalogue.', schemaRef('FieldMappingCatalog')) },
      errors: [404],
    }),
  },
};
