import { parseDatetime } from './datetime.js';
import { validationError } from './errors.js';
import type { ObjectTypeName, PropertyType } from './object-types.js';
import type { RecordStore, StoredRecord } from './record-store.js';

export const FILTER_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One filter of a search request as HubSpot's API takes it. */
export interface SearchFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

export type RecordPredicate = (record: StoredRecord) => boolean;

type Comparable = string | number;

function isFilterOperator(value: unknown): value is FilterOperator {
  return typeof value === 'string' && (FILTER_OPERATORS as readonly string[]).includes(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

/**
 * Converts a filter value to what stored values are compared with: a number for number
 * and datetime properties (datetimes as epoch milliseconds, from epoch milliseconds or
 * ISO 8601), otherwise text. Enumerations keep their case, and other text is lower-cased
 * because HubSpot compares text case-insensitively.
 */
function toComparable(value: unknown, propertyName: string, propertyType: PropertyType, field: string): Comparable {
  if (value === undefined || value === null || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
    throw validationError(`The filter on ${propertyName} needs a ${field}; pass a string or number.`);
  }

  if (propertyType === 'datetime') {
    const epochMs = typeof value === 'boolean' ? undefined : parseDatetime(value);
    if (epochMs === undefined) {
      throw validationError(`The ${field} ${describe(value)} of the filter on ${propertyName} is not a datetime; pass epoch milliseconds or ISO 8601.`);
    }
    return epochMs;
  }
  if (propertyType === 'number') {
    const number = typeof value === 'number' ? value : Number(String(value).trim());
    if (String(value).trim() === '' || !Number.isFinite(number)) {
      throw validationError(`The ${field} ${describe(value)} of the filter on ${propertyName} is not a number.`);
    }
    return number;
  }
  return propertyType === 'enumeration' ? String(value) : String(value).toLowerCase();
}

/** Stored value in comparable form, or null when the record has no value. */
function storedComparable(store: RecordStore, record: StoredRecord, propertyName: string, propertyType: PropertyType): Comparable | null {
  if (propertyType === 'number' || propertyType === 'datetime') {
    return store.numberOf(record, propertyName, propertyType);
  }
  const text = record.properties[propertyName];
  if (text === null || text === undefined) {
    return null;
  }
  return propertyType === 'enumeration' ? text : text.toLowerCase();
}

function compare(left: Comparable, right: Comparable): number {
  if (left < right) {
    return -1;
  }
  return left > right ? 1 : 0;
}

function tokenMatcher(value: unknown, propertyName: string): (text: string) => boolean {
  if (typeof value !== 'string' || value.trim() === '') {
    throw validationError(`The filter on ${propertyName} needs a token value; pass a non-empty string.`);
  }

  const wanted = value.trim().toLowerCase();
  if (wanted.includes('*')) {
    // A wildcard pattern such as "*@example.com" is matched against the whole value.
    const pattern = wanted
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    const expression = new RegExp(`^${pattern}$`, 'u');
    return (text) => expression.test(text.toLowerCase());
  }

  return (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).includes(wanted);
}

/**
 * Compiles one filter to a predicate, raising HubSpot's 400 for an unknown property,
 * operator or an unusable value. Records without a value match only NEQ, NOT_IN,
 * NOT_HAS_PROPERTY and NOT_CONTAINS_TOKEN.
 */
export function compileFilter(store: RecordStore, type: ObjectTypeName, filter: unknown, position: string): RecordPredicate {
  if (typeof filter !== 'object' || filter === null) {
    throw validationError(`The filter at ${position} is not an object; pass {"propertyName", "operator", "value"}.`);
  }

  const { propertyName, operator, value, highValue, values } = filter as Partial<SearchFilter>;
  if (typeof propertyName !== 'string' || propertyName === '') {
    throw validationError(`The filter at ${position} has no propertyName.`);
  }
  if (!isFilterOperator(operator)) {
    throw validationError(`The operator ${describe(operator)} of the filter at ${position} is not supported; use one of ${FILTER_OPERATORS.join(', ')}.`);
  }
  const propertyType = store.propertyType(type, propertyName);
  if (propertyType === undefined) {
    throw validationError(`Property "${propertyName}" does not exist`, {
      context: { propertyName: [propertyName] },
    });
  }

  const stored = (record: StoredRecord): Comparable | null => storedComparable(store, record, propertyName, propertyType);

  switch (operator) {
    case 'HAS_PROPERTY':
      return (record) => stored(record) !== null;
    case 'NOT_HAS_PROPERTY':
      return (record) => stored(record) === null;
    case 'EQ':
    case 'NEQ':
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const target = toComparable(value, propertyName, propertyType, 'value');
      const test = {
        EQ: (order: number) => order === 0,
        NEQ: (order: number) => order !== 0,
        LT: (order: number) => order < 0,
        LTE: (order: number) => order <= 0,
        GT: (order: number) => order > 0,
        GTE: (order: number) => order >= 0,
      }[operator];
      const matchesMissing = operator === 'NEQ';
      return (record) => {
        const current = stored(record);
        return current === null ? matchesMissing : test(compare(current, target));
      };
    }
    case 'BETWEEN': {
      const low = toComparable(value, propertyName, propertyType, 'value');
      const high = toComparable(highValue, propertyName, propertyType, 'highValue');
      return (record) => {
        const current = stored(record);
        return current !== null && compare(current, low) >= 0 && compare(current, high) <= 0;
      };
    }
    case 'IN':
    case 'NOT_IN': {
      if (!Array.isArray(values) || values.length === 0) {
        throw validationError(`The ${operator} filter on ${propertyName} needs a non-empty values array.`);
      }
      // HubSpot lower-cases stored text but not the values, so values for text properties must be lower case to match.
      const wanted = values.map((item) =>
        propertyType === 'string' ? String(item) : toComparable(item, propertyName, propertyType, 'values item'),
      );
      const isIn = (current: Comparable): boolean => wanted.some((item) => item === current);
      return operator === 'IN'
        ? (record) => {
            const current = stored(record);
            return current !== null && isIn(current);
          }
        : (record) => {
            const current = stored(record);
            return current === null || !isIn(current);
          };
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const matches = tokenMatcher(value, propertyName);
      const wantsMatch = operator === 'CONTAINS_TOKEN';
      return (record) => {
        const text = record.properties[propertyName];
        if (text === null || text === undefined) {
          return !wantsMatch;
        }
        return matches(text) === wantsMatch;
      };
    }
  }
}

export type SortDirection = 'ASCENDING' | 'DESCENDING';

/**
 * Compares records by one property. Records without a value come last in both directions.
 * Records with equal values are ordered by id ascending. HubSpot does not document its
 * tie order, so this order is the simulator's choice.
 */
export function compileSort(
  store: RecordStore,
  type: ObjectTypeName,
  propertyName: string,
  direction: SortDirection,
): (left: StoredRecord, right: StoredRecord) => number {
  const propertyType = store.propertyType(type, propertyName);
  if (propertyType === undefined) {
    throw validationError(`Property "${propertyName}" does not exist`, { context: { propertyName: [propertyName] } });
  }

  const sign = direction === 'DESCENDING' ? -1 : 1;
  const textType: PropertyType = propertyType === 'enumeration' ? 'string' : propertyType;
  return (left, right) => {
    const leftValue = storedComparable(store, left, propertyName, textType);
    const rightValue = storedComparable(store, right, propertyName, textType);
    if (leftValue === null || rightValue === null) {
      if (leftValue !== rightValue) {
        return leftValue === null ? 1 : -1;
      }
    } else {
      const order = compare(leftValue, rightValue);
      if (order !== 0) {
        return sign * order;
      }
    }
    return left.idNumber - right.idNumber;
  };
}
