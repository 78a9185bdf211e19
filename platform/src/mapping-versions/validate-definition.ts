import { validateFieldMapping, type FieldMapping, type FieldRule, type ManifestIssue } from '@lumio/plugin-sdk';

import { LumioError, isLumioError } from '../errors/index.js';
import { compileMapping } from '../mapping/index.js';
import { parseMappingPath } from '../mapping/field-path.js';
import { compileReverseMapping } from '../writeback/index.js';
import { findCanonicalField, listCanonicalFields } from './canonical-fields.js';
import type { MappingProblem, MappingProblemCode } from './mapping-problem.js';
import { listSchemaFields } from './provider-fields.js';
import { inferRuleOutput, type OutputKind } from './rule-output.js';
import { checkRuleOutput } from './rule-type-check.js';
import { isSchemaNode } from './schema-nodes.js';

/** The connector object a definition maps and the canonical object its records are stored as, which the definition is checked against. */
export interface DefinitionTarget {
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  /** The object's record schema from the manifest, for the types of source fields. */
  recordSchema: unknown;
  /** The canonical object the connection stores these records as; null when none is fixed yet. */
  canonicalObject: string | null;
}

/**
 * Checks a field mapping definition and returns every problem found, each with a JSON
 * pointer: the document's shape (unknown transforms, missing or invalid parameters),
 * targets missing from the canonical schema, source path syntax, required canonical
 * fields left unmapped, and type mismatches that the source schema and transforms make
 * certain. A definition with no problems also compiles in the mapping runtime, forward
 * and for write-back.
 */
export function validateDefinition(definition: unknown, target: DefinitionTarget): MappingProblem[] {
  if (!isSchemaNode(definition)) {
    return [{ path: '', code: 'DEFINITION_NOT_OBJECT', params: {}, message: 'The definition must be a JSON object with "object", "canonicalObject" and "fields".' }];
  }

  // Targets checked against another canonical object's schema would only repeat that mistake rule by rule.
  const identity = checkIdentity(definition, target);
  if (identity.some((problem) => problem.path === '/canonicalObject')) return identity;

  const problems: MappingProblem[] = [...identity, ...validateFieldMapping(definition).errors.map((issue) => toProblem(issue, definition))];
  const rules: unknown[] = Array.isArray(definition.fields) ? definition.fields : [];
  rules.forEach((rule, index) => {
    if (isSchemaNode(rule)) problems.push(...checkSourcePaths(rule as unknown as FieldRule, index));
  });

  const canonicalObject = typeof definition.canonicalObject === 'string' ? definition.canonicalObject : '';
  if (listCanonicalFields(canonicalObject).length > 0) {
    problems.push(...checkRequiredTargets(rules, canonicalObject));
    problems.push(...checkRuleTypes(rules, canonicalObject, target.recordSchema, problems));
  }

  if (problems.length === 0) problems.push(...compileInRuntime(definition as unknown as FieldMapping));
  return deduplicate(problems);
}

/** Returns the definition as a FieldMapping, or raises MAPPING_INVALID (422) listing every problem. */
export function requireValidDefinition(definition: unknown, target: DefinitionTarget): FieldMapping {
  const problems = validateDefinition(definition, target);
  if (problems.length === 0) return definition as FieldMapping;

  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new LumioError('MAPPING_INVALID', `The field mapping of ${target.object} is invalid: ${first?.message}${more} See "problems" for each one.`, {
    status: 422,
    fault: 'caller',
    details: { problems },
  });
}

function checkIdentity(definition: Record<string, unknown>, target: DefinitionTarget): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (typeof definition.object === 'string' && definition.object !== target.object) {
    problems.push({
      path: '/object',
      code: 'OBJECT_MISMATCH',
      params: { object: definition.object, expected: target.object },
      message: `The definition maps "${definition.object}", but this endpoint saves the mapping of "${target.object}"; set "object" to "${target.object}".`,
    });
  }
  if (target.canonicalObject !== null && typeof definition.canonicalObject === 'string' && definition.canonicalObject !== target.canonicalObject) {
    problems.push({
      path: '/canonicalObject',
      code: 'CANONICAL_OBJECT_MISMATCH',
      params: { object: target.object, expected: target.canonicalObject },
      message: `This connection stores ${target.object} as ${target.canonicalObject} records, so "canonicalObject" must be "${target.canonicalObject}"; another canonical object would mix two kinds of records.`,
    });
  }
  return problems;
}

/** Codes of the plugin SDK's checks beyond the schema; every other keyword is a `SCHEMA_INVALID`. */
const SEMANTIC_CODES: Record<string, MappingProblemCode> = {
  'semantic:unknownMappingTarget': 'UNKNOWN_TARGET',
  'semantic:duplicateTarget': 'DUPLICATE_TARGET',
  'semantic:idTarget': 'ID_TARGET',
  'semantic:unknownTimeZone': 'UNKNOWN_TIME_ZONE',
  'semantic:unknownLookupField': 'UNKNOWN_LOOKUP_FIELD',
  'semantic:unknownCanonicalObject': 'UNKNOWN_CANONICAL_OBJECT',
};

/**
 * Converts a validator issue into a problem. Its parameters contain the value at the issue's
 * pointer, the property and the suggestion, so a sentence in another language can name them.
 */
function toProblem(issue: ManifestIssue, definition: Record<string, unknown>): MappingProblem {
  let message = issue.message;
  if (issue.suggestion !== undefined) message += ` Did you mean '${issue.suggestion}'?`;
  else if (issue.expected !== undefined) message += ` Expected ${issue.expected}.`;

  const params: Record<string, string> = { keyword: issue.keyword };
  const value = valueAtPointer(definition, issue.pointer);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.value = String(value);
  if (issue.property !== undefined) params.property = issue.property;
  if (issue.suggestion !== undefined) params.suggestion = issue.suggestion;
  return { path: issue.pointer, code: SEMANTIC_CODES[issue.keyword] ?? 'SCHEMA_INVALID', params, message };
}

/** Reads the value a JSON pointer (RFC 6901) names, or undefined when the path does not exist. */
function valueAtPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;

  let current = document;
  for (const token of pointer.slice(1).split('/')) {
    if (!isSchemaNode(current) && !Array.isArray(current)) return undefined;
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** Parses source paths as the runtime does; the schema only requires them to be non-empty text. */
function checkSourcePaths(rule: FieldRule, index: number): MappingProblem[] {
  const paths: [string, unknown][] = [];
  if (rule.source !== undefined) paths.push([`/fields/${index}/source`, rule.source]);
  if (Array.isArray(rule.sources)) rule.sources.forEach((source, position) => paths.push([`/fields/${index}/sources/${position}`, source]));

  const problems: MappingProblem[] = [];
  for (const [path, source] of paths) {
    if (typeof source !== 'string' || source === '') continue;
    const parsed = parseMappingPath(source);
    if (typeof parsed === 'string') problems.push({ path, code: 'SOURCE_PATH_INVALID', params: { source, reason: parsed }, message: `The source path "${source}" is invalid: ${parsed}.` });
  }
  return problems;
}

/** Top-level required fields only: a nested field is required only when its parent is written at all. */
function checkRequiredTargets(rules: readonly unknown[], canonicalObject: string): MappingProblem[] {
  const targets = new Set(rules.map((rule) => (isSchemaNode(rule) && typeof rule.target === 'string' ? rule.target : '')));
  return listCanonicalFields(canonicalObject)
    .filter((field) => field.required && !field.name.includes('.') && !field.name.includes('[]') && !targets.has(field.name))
    .map((field) => ({
      path: '/fields',
      code: 'REQUIRED_FIELD_UNMAPPED' as const,
      params: { canonicalObject, field: field.name },
      message: `The canonical ${canonicalObject} field "${field.name}" is required, but no rule writes it; add a rule with target "${field.name}".`,
    }));
}

function checkRuleTypes(rules: readonly unknown[], canonicalObject: string, recordSchema: unknown, earlier: readonly MappingProblem[]): MappingProblem[] {
  const sourceKinds = new Map(listSchemaFields(recordSchema).map((field) => [field.path, field.isArray ? 'array' : field.type]));
  const sourceKind = (path: string): OutputKind => {
    if (path.includes('[]')) return 'array';
    const type = sourceKinds.get(path);
    return type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' || type === 'array' || type === 'object' ? type : 'unknown';
  };

  const problems: MappingProblem[] = [];
  rules.forEach((rule, index) => {
    // A rule that already has a problem is left alone, so one mistake is reported once.
    const pointer = `/fields/${index}`;
    if (!isSchemaNode(rule) || typeof rule.target !== 'string' || rule.target.includes('[]')) return;
    if (earlier.some((problem) => problem.path === pointer || problem.path.startsWith(`${pointer}/`))) return;

    const field = findCanonicalField(canonicalObject, rule.target);
    if (!field) return;
    problems.push(...checkRuleOutput(index, field, inferRuleOutput(rule as unknown as FieldRule, pointer, sourceKind), canonicalObject));
  });
  return problems;
}

/** Compiles the definition as a sync and write-back would, reporting what the checks above did not cover (such as overlapping targets). */
function compileInRuntime(definition: FieldMapping): MappingProblem[] {
  try {
    compileMapping(definition);
    compileReverseMapping(definition);
    return [];
  } catch (error) {
    if (!isLumioError(error) || error.code !== 'MAPPING_INVALID') throw error;
    const ruleIndex = error.details.ruleIndex;
    return [{ path: typeof ruleIndex === 'number' ? `/fields/${ruleIndex}` : '', code: 'RULE_INVALID', params: { detail: error.message }, message: error.message }];
  }
}

function deduplicate(problems: readonly MappingProblem[]): MappingProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
