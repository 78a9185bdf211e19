import type { SchemaDocument } from '../generated/schemas.js';
import type { ConnectorManifest } from '../generated/manifest.js';
import type { SchemaObject } from '../json-schema/index.js';
import { explainSchemaErrors } from './explain-schema-errors.js';
import { toValidationResult, type ValidationResult } from './issue.js';
import { sortByDocumentOrder } from './issue-order.js';
import { getSchemaValidators } from './schema-validators.js';
import {
  builtInCanonicalSource,
  canonicalSourceFrom,
  checkMappingRules,
  checkMappingSources,
  unknownObjectIssue,
} from './semantic/index.js';
import { asRecord, asString } from './semantic/read-json.js';

export interface ValidateFieldMappingOptions {
  /**
   * Manifest of the connector. When given, the mapping's `object` must be one of its
   * objects, and every source path must exist in that object's recordSchema.
   */
  manifest?: ConnectorManifest;
  /** Canonical object schemas by name. Default: the schemas that ship with the SDK. */
  canonicalSchemas?: Readonly<Record<string, SchemaDocument>>;
}

/**
 * Validates a stored field mapping against field-mapping.schema.json, then checks that its
 * targets exist in the canonical schema, time zones are known, lookup fields exist and,
 * when a manifest is given, that it names one of the manifest's objects and reads only
 * paths of that object's recordSchema.
 */
export function validateFieldMapping(value: unknown, options: ValidateFieldMappingOptions = {}): ValidationResult {
  const validators = getSchemaValidators();
  validators.fieldMapping(value);
  const issues = explainSchemaErrors([...(validators.fieldMapping.errors ?? [])], validators);

  const mapping = asRecord(value);
  if (mapping !== undefined) {
    const canonical =
      options.canonicalSchemas === undefined
        ? builtInCanonicalSource()
        : canonicalSourceFrom(options.canonicalSchemas as unknown as Record<string, SchemaObject>);
    issues.push(...checkMappingRules(mapping, '', canonical));

    const objectKey = asString(mapping.object);
    if (options.manifest !== undefined && objectKey !== undefined) {
      const objectKeys = Object.keys(options.manifest.objects);
      if (!objectKeys.includes(objectKey)) issues.push(unknownObjectIssue(objectKey, '/object', objectKeys));

      const recordSchema = asRecord(options.manifest.objects[objectKey]?.recordSchema);
      if (recordSchema !== undefined) issues.push(...checkMappingSources(mapping, '', objectKey, recordSchema));
    }
  }
  return toValidationResult(sortByDocumentOrder(issues, value));
}
