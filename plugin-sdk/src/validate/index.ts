export { validateManifest } from './validate-manifest.js';
export { validateFieldMapping } from './validate-field-mapping.js';
export type { ValidateFieldMappingOptions } from './validate-field-mapping.js';
export { checkFolderName, validateConnectorDirectory } from './validate-connector-directory.js';
export type { ConnectorDirectoryResult } from './validate-connector-directory.js';
export { findJsonSyntaxError } from './json-syntax.js';
export type { JsonSyntaxError } from './json-syntax.js';
export { levenshteinDistance, suggestClosest } from './levenshtein.js';
export type { ManifestIssue, ValidationResult } from './issue.js';
