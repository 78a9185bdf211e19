export { walkSchema, isSchemaObject, escapePointerToken, unescapePointerToken } from './walk-schema.js';
export type { SchemaObject } from './walk-schema.js';
export { SchemaRegistry } from './resolve-ref.js';
export type { LocatedSchema } from './resolve-ref.js';
