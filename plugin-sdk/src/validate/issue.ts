/** One problem found in a manifest or field mapping. */
export interface ManifestIssue {
  /** JSON pointer (RFC 6901) of the value at fault; "" is the document root. */
  pointer: string;
  /** Plain sentence saying what is wrong. */
  message: string;
  /** Description of a valid value at `pointer`, e.g. "one of 'query', 'body'". */
  expected?: string;
  /** The closest valid name or value, for a "did you mean" hint. */
  suggestion?: string;
  /** Name of the missing or unknown property, for `required`, `dependentRequired` and `additionalProperties`. */
  property?: string;
  /**
   * The JSON Schema keyword that failed (e.g. "additionalProperties", "type"), or for
   * checks beyond the schema a name such as "semantic:unknownObject" or "json:syntax".
   */
  keyword: string;
  /** 1-based line of the problem in the source text, for JSON syntax errors. */
  line?: number;
  /** 1-based column of the problem in the source text, for JSON syntax errors. */
  column?: number;
}

/** Outcome of one validation: `valid` is true exactly when `errors` is empty. */
export interface ValidationResult {
  valid: boolean;
  errors: ManifestIssue[];
}

/** Returns a ValidationResult for `issues` with duplicates (same pointer and message) removed. */
export function toValidationResult(issues: ManifestIssue[]): ValidationResult {
  const seen = new Set<string>();
  const errors = issues.filter((issue) => {
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { valid: errors.length === 0, errors };
}
