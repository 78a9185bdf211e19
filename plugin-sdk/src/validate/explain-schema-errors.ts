import type { ErrorObject } from 'ajv/dist/2020.js';

import { isSchemaObject } from '../json-schema/index.js';
import { describeLocation, describeType, describeValue, joinList, oneOfList, quote } from './describe-value.js';
import { formatSchemaError } from './format-schema-error.js';
import type { ManifestIssue } from './issue.js';
import { childPointer, isAtOrBelow } from './json-pointer.js';
import { suggestClosest } from './levenshtein.js';
import { requireValidator, type SchemaValidators } from './schema-validators.js';

/**
 * Turns raw ajv errors (from a validator run with `allErrors` and `verbose`) into readable
 * issues. `prefix` is the JSON pointer of the validated value inside the whole document.
 *
 * A failed discriminated union reports only the branch its discriminant selects, a
 * failed "exactly one of" reports one sentence, and `if` errors fold into the `then`
 * requirement they explain.
 */
export function explainSchemaErrors(
  errors: ErrorObject[],
  validators: SchemaValidators,
  prefix = '',
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  let remaining = [...errors];

  // Outer unions first: re-validating the selected branch also covers unions nested in it.
  const unionErrors = remaining
    .filter((error) => error.keyword === 'oneOf' && isUnionSchema(error.parentSchema, validators))
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const error of unionErrors) {
    if (!remaining.includes(error)) continue;
    remaining = remaining.filter((other) => !isAtOrBelow(other.instancePath, error.instancePath));
    issues.push(...explainUnion(error, validators, prefix));
  }

  for (const error of remaining.filter((candidate) => candidate.keyword === 'oneOf')) {
    const outcome = explainPlainOneOf(error, remaining, prefix);
    remaining = remaining.filter((other) => !outcome.consumed.has(other));
    issues.push(...outcome.issues);
  }

  const conditions = new Map<string, string>();
  for (const error of remaining) {
    if (error.keyword === 'if' && isSchemaObject(error.parentSchema)) {
      conditions.set(error.instancePath, describeCondition(error.parentSchema.if));
    }
  }

  for (const error of remaining) {
    // ajv reports a bad key twice: the failed subschema error (tagged with propertyName)
    // and the propertyNames error, which alone is kept.
    if (error.keyword === 'if' || error.propertyName !== undefined) continue;
    const condition = error.schemaPath.includes('/then/') ? conditions.get(error.instancePath) : undefined;
    issues.push(formatSchemaError(error, prefix + error.instancePath, condition));
  }
  return issues;
}

function isUnionSchema(schema: unknown, validators: SchemaValidators): schema is object {
  return isSchemaObject(schema) && validators.unions.has(schema);
}

/** Explains a failed discriminated union by validating the value against the selected branch only. */
function explainUnion(error: ErrorObject, validators: SchemaValidators, prefix: string): ManifestIssue[] {
  const union = validators.unions.get(error.parentSchema as object);
  const pointer = prefix + error.instancePath;
  const value: unknown = error.data;
  if (union === undefined) return [];

  if (!isSchemaObject(value)) {
    return [
      {
        pointer,
        keyword: 'type',
        expected: 'an object',
        message: `${describeLocation(pointer)} must be an object, but it is ${describeValue(value)}.`,
      },
    ];
  }

  const { discriminant } = union;
  const tag = value[discriminant];
  const allowed = union.branches.map((branch) => branch.value);
  if (tag === undefined) {
    return [
      {
        pointer,
        keyword: 'required',
        expected: `'${discriminant}' set to ${oneOfList(allowed)}`,
        message: `Required property '${discriminant}' is missing.`,
      },
    ];
  }

  const branch = union.branches.find((candidate) => candidate.value === tag);
  if (branch === undefined) {
    const suggestion = typeof tag === 'string' ? suggestClosest(tag, allowed) : undefined;
    return [
      {
        pointer: childPointer(pointer, discriminant),
        keyword: 'enum',
        expected: oneOfList(allowed),
        message: `'${discriminant}' has the value ${quote(tag)}, which is not allowed.`,
        ...(suggestion === undefined ? {} : { suggestion }),
      },
    ];
  }

  const validate = requireValidator(validators.ajv, branch.ref);
  validate(value);
  const branchErrors = [...(validate.errors ?? [])];
  return explainSchemaErrors(branchErrors, validators, pointer);
}

interface OneOfOutcome {
  /** Raw errors explained by `issues`, to be left out of further formatting. */
  consumed: Set<ErrorObject>;
  issues: ManifestIssue[];
}

/** Explains a failed `oneOf` whose branches are written inline rather than as `$ref`s. */
function explainPlainOneOf(error: ErrorObject, errors: ErrorObject[], prefix: string): OneOfOutcome {
  const branches = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
  const pointer = prefix + error.instancePath;
  const label = describeLocation(pointer);
  const branchPrefix = `${error.schemaPath}/`;
  const branchErrors = errors.filter(
    (other) => other !== error && isAtOrBelow(other.instancePath, error.instancePath) && other.schemaPath.startsWith(branchPrefix),
  );
  const consumed = new Set<ErrorObject>([error, ...branchErrors]);

  const exclusiveNames = branches.map(requiredOnlyName);
  if (exclusiveNames.every((name) => name !== undefined)) {
    const names = exclusiveNames as string[];
    const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas ?? [];
    const present = passing.map((index) => `'${names[index]}'`);
    const found = present.length === 0 ? 'none' : joinList(present, 'and');
    return {
      consumed,
      issues: [
        {
          pointer,
          keyword: 'oneOf',
          expected: `exactly one of ${names.map((name) => `'${name}'`).join(', ')}`,
          message: `${label} needs exactly one of ${joinList(names.map((name) => `'${name}'`))}, but has ${found}.`,
        },
      ],
    };
  }

  // A branch whose root type does not match the value only adds noise, so its errors are dropped.
  const byBranch = new Map<number, ErrorObject[]>();
  branches.forEach((_, index) => byBranch.set(index, []));
  for (const branchError of branchErrors) {
    const index = Number(branchError.schemaPath.slice(branchPrefix.length).split('/')[0]);
    byBranch.get(index)?.push(branchError);
  }
  const fitting = [...byBranch].filter(
    ([, list]) => !list.some((other) => other.keyword === 'type' && other.instancePath === error.instancePath),
  );

  if (fitting.length === 0) {
    const types = branches.flatMap((branch) => (isSchemaObject(branch) && typeof branch.type === 'string' ? [branch.type] : []));
    const expected = joinList(types.map(describeType));
    return {
      consumed,
      issues: [{ pointer, keyword: 'type', expected, message: `${label} must be ${expected}, but it is ${describeValue(error.data)}.` }],
    };
  }

  // Keep the errors of the branches that fit the value's type, since ajv's own oneOf sentence
  // adds nothing. A value matching several branches leaves no branch errors, so it gets one issue.
  const fittingErrors = new Set(fitting.flatMap(([, list]) => list));
  const remainingConsumed = new Set([...consumed].filter((other) => !fittingErrors.has(other)));
  if (fittingErrors.size > 0) return { consumed: remainingConsumed, issues: [] };
  return {
    consumed: remainingConsumed,
    issues: [{ pointer, keyword: 'oneOf', message: `${label} matches more than one of the allowed forms.` }],
  };
}

/** Returns the property a `{ "required": ["x"] }` branch requires, or undefined for any other branch. */
function requiredOnlyName(branch: unknown): string | undefined {
  if (!isSchemaObject(branch) || Object.keys(branch).length !== 1) return undefined;
  const required = branch.required;
  return Array.isArray(required) && required.length === 1 && typeof required[0] === 'string' ? required[0] : undefined;
}

/** Describes an `if` schema of the form { properties: { x: { const: v } } } as "'x' is 'v'". */
function describeCondition(schema: unknown): string {
  const properties = isSchemaObject(schema) ? schema.properties : undefined;
  if (!isSchemaObject(properties)) return 'the condition of this object holds';
  const parts = Object.entries(properties).map(([name, rule]) =>
    isSchemaObject(rule) && 'const' in rule ? `'${name}' is ${quote(rule.const)}` : `'${name}' matches its condition`,
  );
  return joinList(parts, 'and');
}
