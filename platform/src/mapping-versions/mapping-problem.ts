/** One problem in a field mapping definition. */
export interface MappingProblem {
  /** JSON pointer (RFC 6901) into the definition, e.g. `/fields/2/transforms/0/to`; "" is the whole definition. */
  path: string;
  /** A sentence saying what is wrong and how to fix it. */
  message: string;
}
