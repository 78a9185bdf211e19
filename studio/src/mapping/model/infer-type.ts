import type { Scalar, Transform } from './definition.js';

/**
 * What the studio knows about a value's type on its way through a chain: a JSON type name
 * (null when unknown), whether it is a list, and for text a date format when a date
 * transform produced it.
 */
export interface ValueType {
  type: string | null;
  isArray: boolean;
  format?: 'date' | 'date-time' | 'local-date-time';
}

export const UNKNOWN: ValueType = { type: null, isArray: false };

export function typeOfConstant(value: Scalar): ValueType {
  if (value === null) return UNKNOWN;
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number', isArray: false };
  return { type: typeof value, isArray: false };
}

/** Follows the platform's transform semantics: most transforms run on each element of a list. */
export function applyTransformType(input: ValueType, transform: Transform): ValueType {
  const keep = (type: string | null, format?: ValueType['format']): ValueType => ({ type, isArray: input.isArray, ...(format ? { format } : {}) });

  switch (transform.type) {
    case 'trim':
    case 'case':
      return input.type === 'string' ? keep('string') : keep(input.type);
    case 'convert':
      return keep(transform.to);
    case 'date':
      if (transform.to === 'epochMilliseconds' || transform.to === 'epochSeconds') return keep('integer');
      if (transform.to === 'date') return keep('string', 'date');
      if (transform.to === 'localDateTime') return keep('string', 'local-date-time');
      return keep('string', 'date-time');
    case 'default':
      return input.type === null ? { ...typeOfConstant(transform.value), isArray: input.isArray } : input;
    case 'valueMap': {
      const outputs = new Set(Object.values(transform.map ?? {}).filter((value) => value !== null).map((value) => typeOfConstant(value).type));
      const single = outputs.size === 1 ? [...outputs][0] ?? null : null;
      // Values missing from the table pass unchanged unless `otherwise` is "null".
      if (transform.otherwise === 'null') return keep(single);
      return keep(single !== null && single === input.type ? single : null);
    }
    case 'concat':
      return { type: 'string', isArray: false };
    case 'split':
      return transform.index === undefined ? { type: 'string', isArray: true } : { type: 'string', isArray: input.isArray };
    case 'lookup':
      return keep(transform.field === undefined ? 'string' : null);
    default:
      return UNKNOWN;
  }
}

/** Tells whether a value of type `produced` fits a canonical field of type `expected`. */
export function typesFit(produced: ValueType, expected: ValueType): boolean {
  if (produced.type === null || expected.type === null) return true;
  if (expected.type === 'array') return produced.isArray;
  if (produced.isArray) return false;
  if (expected.type === produced.type) return true;
  return expected.type === 'number' && produced.type === 'integer';
}
