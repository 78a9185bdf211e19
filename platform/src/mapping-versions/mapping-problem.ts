/** Kind of problem in a field mapping definition. Clients may show their own sentence per kind. */
export type MappingProblemCode =
  | 'DEFINITION_NOT_OBJECT'
  | 'OBJECT_MISMATCH'
  | 'CANONICAL_OBJECT_MISMATCH'
  | 'SCHEMA_INVALID'
  | 'UNKNOWN_TARGET'
  | 'DUPLICATE_TARGET'
  | 'ID_TARGET'
  | 'UNKNOWN_TIME_ZONE'
  | 'UNKNOWN_LOOKUP_FIELD'
  | 'UNKNOWN_CANONICAL_OBJECT'
  | 'SOURCE_PATH_INVALID'
  | 'REQUIRED_FIELD_UNMAPPED'
  | 'TYPE_MISMATCH'
  | 'DATE_FORMAT_MISMATCH'
  | 'VALUE_NOT_ALLOWED'
  | 'RULE_INVALID';

/** One problem in a field mapping definition. */
export interface MappingProblem {
  /** JSON pointer (RFC 6901) into the definition, e.g. `/fields/2/transforms/0/to`; "" is the whole definition. */
  path: string;
  code: MappingProblemCode;
  /** Values the sentence names (field, types, allowed values), so it can be written in another language. */
  params: Record<string, string | number>;
  /** English sentence saying what is wrong and how to fix it. */
  message: string;
}
