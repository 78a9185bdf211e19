import { explainSchemaErrors } from './explain-schema-errors.js';
import { toValidationResult, type ValidationResult } from './issue.js';
import { sortByDocumentOrder } from './issue-order.js';
import { getSchemaValidators } from './schema-validators.js';
import { builtInCanonicalSource, checkManifestSemantics } from './semantic/index.js';

/**
 * Validates a parsed manifest against connector-manifest.schema.json and then runs the
 * semantic checks (mapping objects and targets, template variables, operations named by
 * incremental and deletion settings, rate-limit groups, time zones). Both kinds of issue
 * are returned together, so one run lists every problem.
 */
export function validateManifest(value: unknown): ValidationResult {
  const validators = getSchemaValidators();
  validators.manifest(value);
  const schemaErrors = [...(validators.manifest.errors ?? [])];

  const issues = [...explainSchemaErrors(schemaErrors, validators), ...checkManifestSemantics(value, builtInCanonicalSource())];
  return toValidationResult(sortByDocumentOrder(issues, value));
}
