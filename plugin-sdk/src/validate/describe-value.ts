import { lastPointerToken } from './json-pointer.js';

const MAX_QUOTED_LENGTH = 60;

/** Names a JSON value for a message, e.g. `the string "100"`, `the number 5`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(truncate(value))}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value} value`;
  }
}

/** Names a JSON Schema type with its article, e.g. "an integer", "a string", "null". */
export function describeType(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Quotes a value the way messages show names and enum members: 'crm' or 1. */
export function quote(value: unknown): string {
  return typeof value === 'string' ? `'${truncate(value)}'` : JSON.stringify(value);
}

/** Joins items as "a, b or c" (or with another final conjunction). */
export function joinList(items: string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** Returns "one of 'a', 'b', 'c'" for a list of allowed values. */
export function oneOfList(values: unknown[]): string {
  return values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`;
}

/** Names the value at a pointer for the start of a sentence: "'maxPages'", "Item 2", "The document". */
export function describeLocation(pointer: string): string {
  const token = lastPointerToken(pointer);
  if (token === undefined) return 'The document';
  if (/^\d+$/.test(token)) return `Item ${token}`;
  return `'${token}'`;
}

function truncate(text: string): string {
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 3)}...` : text;
}
