import { arrayOf, dateTime, nullableString, objectOf, schemaRef, type SchemaObject } from '../builders.js';

const comment: SchemaObject = { type: 'string', minLength: 1, maxLength: 1_000, description: 'Why the version was made, shown in its history.' };
const baseVersion: SchemaObject = { type: 'integer', minimum: 0, description: 'The active version the change was made on; when another version became active since, the response is a 409 MAPPING_VERSION_CONFLICT.' };
const fieldMapping: SchemaObject = { type: 'object', description: 'A field mapping definition, as in a connector manifest; the endpoint checks it and lists every problem.' };

/** Versioned field mappings of a connection and their previews. */
export const mappingSchemas: Record<string, SchemaObject> = {
  FieldMappingVersion: objectOf({
    id: { type: 'string' },
    object: { type: 'string', description: 'Manifest object key, such as `contacts`.' },
    canonicalObject: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    definition: fieldMapping,
    comment: nullableString,
    createdBy: nullableString,
    createdAt: dateTime,
    active: { type: 'boolean' },
  }),
  FieldMappingList: objectOf({
    integration: { type: 'string' },
    connectionId: { type: 'string' },
    objects: arrayOf(
      objectOf({
        object: { type: 'string' },
        canonicalObject: nullableString,
        version: { type: ['integer', 'null'], description: 'The active version, or null when the object has no mapping yet.' },
        active: { oneOf: [{ type: 'null' }, schemaRef('FieldMappingVersion')] },
        isDefault: { type: 'boolean', description: "Whether the active definition equals the manifest's default mapping." },
      }),
      'One entry per manifest object, so the list is bounded by the manifest.',
    ),
  }),
  FieldMappingVersionPage: objectOf({ versions: arrayOf(schemaRef('FieldMappingVersion'), 'Newest first.'), nextCursor: { type: ['string', 'null'] } }),
  FieldMappingChange: {
    type: 'object',
    required: ['definition'],
    additionalProperties: false,
    properties: { definition: fieldMapping, comment, baseVersion },
  },
  FieldMappingRollback: {
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties: { version: { type: 'integer', minimum: 1, description: 'The version whose definition to copy.' }, comment, baseVersion },
  },
  FieldMappingRestore: {
    type: 'object',
    additionalProperties: false,
    properties: { comment, baseVersion },
  },
  FieldMappingPreviewRequest: {
    type: 'object',
    required: ['object', 'definition'],
    additionalProperties: false,
    properties: { object: { type: 'string' }, definition: fieldMapping, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  },
  FieldMappingPreview: objectOf({
    object: { type: 'string' },
    canonicalObject: { type: 'string' },
    sampleSource: { type: 'string', enum: ['records', 'provider'], description: "`records`: the connection's newest stored records; `provider`: one page read live." },
    samples: arrayOf(
      objectOf({
        externalId: { type: 'string' },
        source: { description: "The provider's record." },
        current: { type: ['object', 'null'], description: 'Mapped with the active mapping; null when the object has none.' },
        draft: { type: 'object', description: 'Mapped with the draft definition.' },
        changedFields: arrayOf({ type: 'string' }, 'Dot paths of the canonical fields whose value differs.'),
        errors: arrayOf(objectOf({ field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } }), 'Values the draft could not map; the field is null in `draft`.'),
      }),
      'At most `limit` samples.',
    ),
  }),
  FieldMappingCatalog: objectOf({
    object: { type: 'string' },
    canonicalObject: nullableString,
    sampledRecords: { type: 'integer', minimum: 0, description: 'How many stored records were read to find `seen` fields.' },
    providerFields: arrayOf({ type: 'object', required: ['path', 'type'], properties: { path: { type: 'string' }, type: { type: 'string' }, source: { type: 'string', enum: ['schema', 'seen'] }, isArray: { type: 'boolean' } } }),
    canonicalFields: arrayOf({ type: 'object', required: ['name', 'type', 'required'], properties: { name: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, description: { type: 'string' }, format: { type: 'string' }, enum: arrayOf({}), items: { type: 'string' } } }),
    transforms: arrayOf(
      objectOf({
        name: { type: 'string' },
        label: objectOf({ 'pt-BR': { type: 'string' }, en: { type: 'string' } }),
        parameters: arrayOf({ type: 'object', required: ['name', 'type'], properties: { name: { type: 'string' }, type: { type: 'string' }, required: { type: 'boolean' }, options: arrayOf({}) } }),
      }),
    ),
  }),
};
