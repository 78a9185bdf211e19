export { compileMapping } from './compile-mapping.js';
export type { CompiledMapping, CompiledRule, RuleStage } from './compile-mapping.js';
export { applyMapping } from './apply-mapping.js';
export type { ApplyMappingOptions, FieldMappingError, LookupMatch, LookupRecords, MappedRecord } from './apply-mapping.js';
export { toTitleCase } from './transforms/text-transforms.js';
export { DEFAULT_CONCAT_SEPARATOR } from './transforms/compile-transform.js';
