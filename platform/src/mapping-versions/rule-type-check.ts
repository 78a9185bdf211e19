import type { CanonicalField } from './canonical-fields.js';
import type { MappingProblem } from './mapping-problem.js';
import type { OutputKind, RuleOutput } from './rule-output.js';

const KIND_NAMES: Record<OutputKind, string> = {
  string: 'text',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
  unknown: 'an unknown value',
};

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an ISO 8601 date-time with offset',
  date: 'a YYYY-MM-DD date',
  'local-date-time': 'a local date-time without offset',
};

/**
 * Compares what a rule writes with the canonical field it targets, where both are known:
 * the JSON type, the date format, and values outside the field's allowed list.
 */
export function checkRuleOutput(ruleIndex: number, field: CanonicalField, output: RuleOutput, canonicalObject: string): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const expected = field.type.split('|');

  if (!fitsType(output.kind, expected)) {
    const hint = selectTypeHint(output.kind, expected);
    problems.push({
      path: `/fields/${ruleIndex}`,
      code: 'TYPE_MISMATCH',
      params: { rule: ruleIndex, field: field.name, canonicalObject, written: output.kind, expected: expected.join('|'), hint },
      message: `Field rule ${ruleIndex} writes ${KIND_NAMES[output.kind]} to "${field.name}", but the canonical ${canonicalObject} field is ${describeExpected(expected)}; ${TYPE_HINTS[hint](expected)}.`,
    });
    return problems;
  }

  const expectedFormat = field.format === 'date' || field.format === 'date-time' ? field.format : undefined;
  if (output.format && expectedFormat && output.format !== expectedFormat) {
    const to = expectedFormat === 'date' ? 'date' : 'iso8601';
    problems.push({
      path: output.formatPointer ?? `/fields/${ruleIndex}`,
      code: 'DATE_FORMAT_MISMATCH',
      params: { rule: ruleIndex, field: field.name, written: output.format, expected: expectedFormat, to },
      message: `Field rule ${ruleIndex} writes ${FORMAT_NAMES[output.format]} to "${field.name}", which must be ${FORMAT_NAMES[expectedFormat]}; set the date transform's "to" to "${to}".`,
    });
  }

  if (field.enum && output.values) {
    for (const { value, pointer } of output.values) {
      if (value === null || field.enum.includes(value)) continue;
      problems.push({
        path: pointer,
        code: 'VALUE_NOT_ALLOWED',
        params: { value: JSON.stringify(value), field: field.name, allowed: field.enum.map((allowed) => JSON.stringify(allowed)).join(', ') },
        message: `The value ${JSON.stringify(value)} is not allowed in "${field.name}"; use one of ${field.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}.`,
      });
    }
  }
  return problems;
}

/** Unknown and null always fit; an integer fits a number field, and a number may fit an integer field. */
function fitsType(kind: OutputKind, expected: readonly string[]): boolean {
  if (kind === 'unknown' || kind === 'null' || expected.includes('unknown')) return true;
  if (expected.includes(kind)) return true;
  if (kind === 'integer' && expected.includes('number')) return true;
  return kind === 'number' && expected.includes('integer');
}

function describeExpected(expected: readonly string[]): string {
  return expected.map((type) => KIND_NAMES[type as OutputKind] ?? type).join(' or ');
}

/** Fix that a type mismatch suggests. The API writes it in the request's language. */
export type TypeHint = 'concat' | 'single-or-concat' | 'convert' | 'split' | 'retarget';

const TYPE_HINTS: Record<TypeHint, (expected: readonly string[]) => string> = {
  concat: () => 'add a concat transform to join the values into text',
  'single-or-concat': () => 'read a single value, or join the values with a concat transform',
  convert: (expected) => `add {"type": "convert", "to": "${expected[0]}"} as the last transform`,
  split: () => 'read a list from the provider, or add a split transform',
  retarget: () => 'target one of its fields instead, or change the transforms',
};

function selectTypeHint(kind: OutputKind, expected: readonly string[]): TypeHint {
  const [only] = expected;
  // Transforms other than concat run on each element of a list, so a convert would not help.
  if (kind === 'array' && only === 'string') return 'concat';
  if (kind === 'array') return 'single-or-concat';
  if (expected.length === 1 && (only === 'string' || only === 'number' || only === 'integer' || only === 'boolean')) return 'convert';
  if (only === 'array') return 'split';
  return 'retarget';
}
