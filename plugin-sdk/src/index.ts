// Public surface of @lumio/plugin-sdk: the manifest, mapping and canonical types generated
// from schemas/, the schema documents themselves, and the validators.
export type * from './generated/manifest.js';
export type * from './generated/field-mapping.js';
export type * from './generated/canonical.js';
export {
  canonicalCommonSchema,
  canonicalSchemas,
  connectorManifestSchema,
  fieldMappingSchema,
} from './generated/schemas.js';
export type { SchemaDocument } from './generated/schemas.js';

export {
  findJsonSyntaxError,
  levenshteinDistance,
  suggestClosest,
  validateConnectorDirectory,
  validateFieldMapping,
  validateManifest,
} from './validate/index.js';
export type {
  ConnectorDirectoryResult,
  JsonSyntaxError,
  ManifestIssue,
  ValidateFieldMappingOptions,
  ValidationResult,
} from './validate/index.js';
