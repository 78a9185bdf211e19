import type { Transform } from '../../runtime/manifest-types.js';
import { isValidTimeZone } from '../time-zone.js';
import { compileConvert } from './convert-transform.js';
import { compileDate } from './date-transform.js';
import { compileConcat, compileCase, compileSplit, compileTrim } from './text-transforms.js';
import type { TransformStep } from './transform-step.js';
import { compileDefault, compileValueMap } from './value-transforms.js';

const CASES = ['lower', 'upper', 'title'];
const CONVERT_TARGETS = ['string', 'number', 'integer', 'boolean'];
const DATE_INPUTS = ['iso8601', 'epochMilliseconds', 'epochSeconds', 'date'];
const DATE_OUTPUTS = ['iso8601', 'date', 'epochMilliseconds', 'epochSeconds', 'localDateTime'];
const CANONICAL_OBJECTS = ['contact', 'company', 'deal', 'product', 'order', 'customer', 'message'];

/** Default `concat` separator: one space, so first and last names join into a full name. */
export const DEFAULT_CONCAT_SEPARATOR = ' ';

/**
 * Checks a transform's parameters and compiles it. Returns a problem sentence instead
 * of a step when a parameter is missing or invalid, so the caller can name the rule.
 */
export function compileTransform(transform: Transform): TransformStep | string {
  const raw = transform as unknown as Record<string, unknown>;
  switch (transform.type) {
    case 'trim':
      return compileTrim();

    case 'case':
      if (!CASES.includes(raw.to as string)) return `case needs "to" set to one of ${CASES.join(', ')}`;
      return compileCase(transform.to);

    case 'convert':
      if (!CONVERT_TARGETS.includes(raw.to as string)) return `convert needs "to" set to one of ${CONVERT_TARGETS.join(', ')}`;
      return compileConvert(transform.to);

    case 'date': {
      if (!DATE_INPUTS.includes(raw.from as string)) return `date needs "from" set to one of ${DATE_INPUTS.join(', ')}`;
      if (!DATE_OUTPUTS.includes(raw.to as string)) return `date needs "to" set to one of ${DATE_OUTPUTS.join(', ')}`;
      if (transform.timeZone !== undefined && (typeof transform.timeZone !== 'string' || !isValidTimeZone(transform.timeZone))) {
        return `date has the unknown time zone ${JSON.stringify(transform.timeZone)}; use an IANA name such as "America/Sao_Paulo"`;
      }
      if (transform.to === 'localDateTime' && transform.timeZone === undefined) {
        return 'date to "localDateTime" needs "timeZone", because a local time means nothing without its zone';
      }
      return compileDate(transform.from, transform.to, transform.timeZone);
    }

    case 'default':
      if (!Object.hasOwn(raw, 'value') || !isScalar(raw.value)) return 'default needs "value" (text, number, boolean or null)';
      return compileDefault(transform.value);

    case 'valueMap': {
      const map = raw.map;
      if (map === null || typeof map !== 'object' || Array.isArray(map)) return 'valueMap needs "map", an object of values';
      if (!Object.values(map).every(isScalar)) return 'valueMap "map" values must be text, numbers, booleans or null';
      const otherwise = transform.otherwise ?? 'keep';
      if (otherwise !== 'keep' && otherwise !== 'null') return 'valueMap "otherwise" must be "keep" or "null"';
      return compileValueMap(transform.map, otherwise);
    }

    case 'concat':
      if (raw.separator !== undefined && typeof raw.separator !== 'string') return 'concat "separator" must be text';
      if (raw.skipEmpty !== undefined && typeof raw.skipEmpty !== 'boolean') return 'concat "skipEmpty" must be true or false';
      return compileConcat(transform.separator ?? DEFAULT_CONCAT_SEPARATOR, transform.skipEmpty ?? false);

    case 'split':
      if (typeof raw.separator !== 'string' || raw.separator === '') return 'split needs "separator", a non-empty text';
      if (raw.index !== undefined && !Number.isSafeInteger(raw.index)) return 'split "index" must be an integer';
      return compileSplit(transform.separator, transform.index);

    case 'lookup':
      if (!CANONICAL_OBJECTS.includes(raw.canonicalObject as string)) {
        return `lookup needs "canonicalObject" set to one of ${CANONICAL_OBJECTS.join(', ')}`;
      }
      if (raw.field !== undefined && (typeof raw.field !== 'string' || raw.field === '')) return 'lookup "field" must be a non-empty text';
      return { kind: 'lookup', canonicalObject: transform.canonicalObject, field: transform.field };

    default:
      return `the transform type ${JSON.stringify(raw.type)} is unknown`;
  }
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
