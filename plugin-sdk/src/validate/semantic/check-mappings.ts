import { canonicalSchemas } from '../../generated/schemas.js';
import { isSchemaObject } from '../../json-schema/index.js';
import type { ManifestIssue } from '../issue.js';
import { childPointer } from '../json-pointer.js';
import type { CanonicalSchemaSource } from './canonical-source.js';
import { findPathFailure, type PathFailure } from './canonical-paths.js';
import { asArray, asRecord, asString, type JsonRecord } from './read-json.js';
import { isKnownTimeZone, suggestTimeZone } from './time-zones.js';

const CANONICAL_OBJECT_NAMES: readonly string[] = Object.keys(canonicalSchemas);

/**
 * Checks the field rules of one mapping (a manifest default mapping or a stored
 * FieldMapping) at `pointer`: targets exist in the canonical schema and are written once,
 * date transforms name known time zones, and lookup transforms read existing fields.
 */
export function checkMappingRules(mapping: JsonRecord, pointer: string, canonical: CanonicalSchemaSource): ManifestIssue[] {
  const canonicalObject = asString(mapping.canonicalObject);
  if (canonicalObject === undefined) return [];
  const issues: ManifestIssue[] = [];

  const schema = canonical.schemas[canonicalObject];
  if (schema === undefined) {
    // The schema enum already reports names outside CanonicalObjectName; this covers a
    // caller-supplied schema set that lacks one of the names.
    if (!CANONICAL_OBJECT_NAMES.includes(canonicalObject)) return [];
    return [
      {
        pointer: `${pointer}/canonicalObject`,
        keyword: 'semantic:unknownCanonicalObject',
        message: `No canonical schema is available for '${canonicalObject}'.`,
      },
    ];
  }

  const firstRuleByTarget = new Map<string, number>();
  asArray(mapping.fields).forEach((ruleValue, index) => {
    const rule = asRecord(ruleValue);
    const rulePointer = childPointer(`${pointer}/fields`, index);
    const target = asString(rule?.target);

    if (target !== undefined) {
      issues.push(...checkTarget(target, `${rulePointer}/target`, canonicalObject, schema, canonical));
      const first = firstRuleByTarget.get(target);
      if (first === undefined) {
        firstRuleByTarget.set(target, index);
      } else {
        issues.push({
          pointer: `${rulePointer}/target`,
          keyword: 'semantic:duplicateTarget',
          message: `Target '${target}' is already written by field rule ${first}; each target may have one rule.`,
        });
      }
    }

    asArray(rule?.transforms).forEach((transform, transformIndex) => {
      issues.push(...checkTransform(asRecord(transform), childPointer(`${rulePointer}/transforms`, transformIndex), canonical));
    });
  });
  return issues;
}

function checkTarget(
  target: string,
  pointer: string,
  canonicalObject: string,
  schema: JsonRecord,
  canonical: CanonicalSchemaSource,
): ManifestIssue[] {
  if (target === 'id') {
    return [
      {
        pointer,
        keyword: 'semantic:idTarget',
        message: "Target 'id' is not allowed: Lumio assigns canonical record ids itself, outside the mapped data.",
      },
    ];
  }
  const failure = findPathFailure(target, { schema, documentId: String(schema.$id) }, canonical.registry);
  if (failure === undefined) return [];
  return [pathIssue(pointer, 'semantic:unknownMappingTarget', 'Target', target, canonicalObject, failure)];
}

function checkTransform(transform: JsonRecord | undefined, pointer: string, canonical: CanonicalSchemaSource): ManifestIssue[] {
  if (transform?.type === 'date') {
    const timeZone = asString(transform.timeZone);
    if (timeZone === undefined || isKnownTimeZone(timeZone)) return [];
    const suggestion = suggestTimeZone(timeZone);
    return [
      {
        pointer: `${pointer}/timeZone`,
        keyword: 'semantic:unknownTimeZone',
        message: `Time zone '${timeZone}' is not a known IANA time zone name.`,
        expected: "an IANA time zone name such as 'America/Sao_Paulo', or 'UTC'",
        ...(suggestion === undefined ? {} : { suggestion }),
      },
    ];
  }

  if (transform?.type === 'lookup') {
    const canonicalObject = asString(transform.canonicalObject);
    const field = asString(transform.field);
    const schema = canonicalObject === undefined ? undefined : canonical.schemas[canonicalObject];
    if (field === undefined || canonicalObject === undefined || !isSchemaObject(schema)) return [];
    const failure = findPathFailure(field, { schema, documentId: String(schema.$id) }, canonical.registry);
    if (failure === undefined) return [];
    return [pathIssue(`${pointer}/field`, 'semantic:unknownLookupField', 'Lookup field', field, canonicalObject, failure)];
  }
  return [];
}

function pathIssue(
  pointer: string,
  keyword: string,
  noun: string,
  path: string,
  canonicalObject: string,
  failure: PathFailure,
): ManifestIssue {
  const segments = path.split('.');
  const segment = segments[failure.segmentIndex] ?? '';
  const parent = segments.slice(0, failure.segmentIndex).join('.');
  const place = parent === '' ? `the canonical ${canonicalObject} schema` : `'${parent}' of the canonical ${canonicalObject} schema`;

  const reasons: Record<PathFailure['reason'], string> = {
    unknownField: `does not exist: ${place} has no field '${segment.replace(/\[\]$/, '')}'`,
    notAnArray: `uses "[]" on '${segment.replace(/\[\]$/, '')}', which is not an array in ${place}`,
    arrayNeedsBrackets: `reads inside the array '${segment}' of ${place} without "[]"`,
  };
  const fields = failure.candidates.map((name) => `'${name}'`).join(', ');
  return {
    pointer,
    keyword,
    message: `${noun} '${path}' ${reasons[failure.reason]}.`,
    ...(failure.suggestion === undefined
      ? { expected: fields === '' ? 'a declared field' : `one of ${fields}` }
      : { suggestion: failure.suggestion }),
  };
}
