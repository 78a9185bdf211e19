// The studio edits the same FieldMapping documents the platform stores, typed from
// schemas/field-mapping.schema.json by the plugin SDK's generator.
export type {
  CanonicalObjectName,
  FieldMapping,
  FieldRule,
  ReverseRule,
  Transform,
} from '../../../../plugin-sdk/src/generated/field-mapping.js';

/** A value a `constant` rule, a `default` transform or a value map may hold. */
export type Scalar = string | number | boolean | null;

/** The transform kinds of the FieldMapping schema, in the order the studio offers them. */
export const TRANSFORM_TYPES = ['date', 'case', 'trim', 'default', 'valueMap', 'concat', 'split', 'convert', 'lookup'] as const;
export type TransformType = (typeof TRANSFORM_TYPES)[number];
