export { checkManifestSemantics, unknownObjectIssue } from './check-manifest.js';
export { checkMappingRules } from './check-mappings.js';
export { builtInCanonicalSource, canonicalSourceFrom } from './canonical-source.js';
export type { CanonicalSchemaSource } from './canonical-source.js';
export { checkMappingSources, checkRecordPaths } from './check-record-paths.js';
