import type { ValueLocation } from '@lumio/plugin-sdk';
import { readSegments, splitDotPath } from '../../templates/index.js';

/** The parts of a delivery a ValueLocation can point into. */
export interface LocationScope {
  /** Request headers with lower-case names. */
  headers: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** One event of the parsed body. */
  event: unknown;
}

/**
 * Reads a value from a header, a query parameter or a dot path in the event. Strings are
 * returned as they are and numbers as decimal text (an integer never in exponent form).
 * Anything else (absent, null, boolean, object, array) is undefined.
 */
export function readLocation(location: ValueLocation, scope: LocationScope): string | undefined {
  switch (location.in) {
    case 'header': {
      const name = location.path.toLowerCase();
      return Object.hasOwn(scope.headers, name) ? scope.headers[name] : undefined;
    }
    case 'query':
      return scope.query.get(location.path) ?? undefined;
    case 'body':
      return toText(readSegments(scope.event, splitDotPath(location.path)));
  }
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}
