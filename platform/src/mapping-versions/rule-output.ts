import type { FieldRule } from '../runtime/manifest-types.js';
import { isSchemaNode } from './schema-nodes.js';

/** JSON type of a rule's output as far as it can be known before any record is read. */
export type OutputKind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null' | 'unknown';

/** Date text a `date` transform writes: `date-time` for iso8601, `date` for date, `local-date-time` for localDateTime. */
export type DateFormat = 'date-time' | 'date' | 'local-date-time';

/** A value the rule writes for some input, with the JSON pointer of where the mapping states it. */
export interface KnownValue {
  value: unknown;
  pointer: string;
}

export interface RuleOutput {
  kind: OutputKind;
  /** Set when the value is date text from a `date` transform. */
  format?: DateFormat;
  /** Pointer of the `to` of the date transform that set `format`. */
  formatPointer?: string;
  /** Values the rule is known to write: its constant, a default, or a value map's outputs. */
  values?: KnownValue[];
}

const DATE_FORMATS: Record<string, DateFormat> = { iso8601: 'date-time', date: 'date', localDateTime: 'local-date-time' };

export function kindOfValue(value: unknown): OutputKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') return typeof value as OutputKind;
  return 'unknown';
}

/**
 * Infers what a field rule writes from its source's declared type and its transforms.
 * `sourceKind` returns the kind of a provider source path ("unknown" when the record
 * schema declares none). Malformed transforms make the rest "unknown", because the schema
 * check reports them.
 */
export function inferRuleOutput(rule: FieldRule, rulePointer: string, sourceKind: (path: string) => OutputKind): RuleOutput {
  let output: RuleOutput = startingOutput(rule, rulePointer, sourceKind);

  const transforms: unknown[] = Array.isArray(rule.transforms) ? rule.transforms : [];
  transforms.forEach((transform, index) => {
    output = applyTransform(output, transform, `${rulePointer}/transforms/${index}`);
  });
  return output;
}

function startingOutput(rule: FieldRule, rulePointer: string, sourceKind: (path: string) => OutputKind): RuleOutput {
  if (Object.hasOwn(rule, 'constant')) {
    return { kind: kindOfValue(rule.constant), values: [{ value: rule.constant, pointer: `${rulePointer}/constant` }] };
  }
  if (rule.sources !== undefined) return { kind: 'array' };
  if (typeof rule.source === 'string') return { kind: sourceKind(rule.source) };
  return { kind: 'unknown' };
}

/** Returns the output after one transform. As in the runtime, every transform but concat runs on each element of an array. */
function applyTransform(input: RuleOutput, transform: unknown, pointer: string): RuleOutput {
  if (!isSchemaNode(transform)) return { kind: 'unknown' };
  if (input.kind === 'array' && transform.type !== 'concat') return { kind: 'array' };

  switch (transform.type) {
    case 'trim':
      // Trim passes numbers and booleans unchanged and keeps date text a date.
      return { kind: input.kind, ...(input.format ? { format: input.format, formatPointer: input.formatPointer } : {}) };
    case 'case':
      return { kind: input.kind };
    case 'convert':
      return { kind: typeof transform.to === 'string' && ['string', 'number', 'integer', 'boolean'].includes(transform.to) ? (transform.to as OutputKind) : 'unknown' };
    case 'date': {
      const to = typeof transform.to === 'string' ? transform.to : '';
      if (to === 'epochMilliseconds' || to === 'epochSeconds') return { kind: 'integer' };
      const format = DATE_FORMATS[to];
      return format ? { kind: 'string', format, formatPointer: `${pointer}/to` } : { kind: 'unknown' };
    }
    case 'default':
      return applyDefault(input, transform.value, `${pointer}/value`);
    case 'valueMap':
      return applyValueMap(input, transform, pointer);
    case 'concat':
      return { kind: 'string' };
    case 'split':
      return { kind: transform.index === undefined ? 'array' : 'string' };
    case 'lookup':
      return { kind: transform.field === undefined ? 'string' : 'unknown' };
    default:
      return { kind: 'unknown' };
  }
}

function applyDefault(input: RuleOutput, value: unknown, pointer: string): RuleOutput {
  const valueKind = kindOfValue(value);
  if (valueKind === 'null') return input;

  const values = input.values ? [...input.values, { value, pointer }] : undefined;
  const kind = input.kind === 'null' || input.kind === valueKind ? valueKind : 'unknown';
  return { kind, ...(values ? { values } : {}) };
}

function applyValueMap(input: RuleOutput, transform: Record<string, unknown>, pointer: string): RuleOutput {
  if (!isSchemaNode(transform.map)) return { kind: 'unknown' };

  const values: KnownValue[] = Object.entries(transform.map)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => ({ value, pointer: `${pointer}/map/${key.replaceAll('~', '~0').replaceAll('/', '~1')}` }));

  // Unlisted values pass through unless `otherwise` is "null", so their kind counts too.
  const kinds = new Set(values.map((entry) => kindOfValue(entry.value)));
  if (transform.otherwise !== 'null') kinds.add(input.kind);
  kinds.delete('null');
  const [only] = kinds;
  return { kind: kinds.size === 1 && only !== undefined ? only : 'unknown', values };
}
