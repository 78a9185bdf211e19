/**
 * Dot paths ("paging.next.after", "results.0.id") shared by templates, record selection
 * and field mapping. Lookups read own properties only, so a path can never reach
 * Object.prototype or a constructor through inherited members.
 */

const INTEGER_INDEX = /^(?:0|[1-9]\d*)$/;

/** Path segments a template may not name, because they lead to prototypes. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 10_000;

/** Splits a dot path into segments; "" is the empty path (the value itself). Cached by string. */
export function splitDotPath(path: string): readonly string[] {
  const cached = splitCache.get(path);
  if (cached) return cached;

  const segments = path === '' ? [] : path.split('.');
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(path, segments);
  return segments;
}

/** Reads one own property or array element; anything else is `undefined`. */
export function readSegment(container: unknown, segment: string): unknown {
  if (Array.isArray(container)) {
    return INTEGER_INDEX.test(segment) ? container[Number(segment)] : undefined;
  }
  if (container !== null && typeof container === 'object' && Object.hasOwn(container, segment)) {
    return (container as Record<string, unknown>)[segment];
  }
  return undefined;
}

/** Follows pre-split segments from `value`; a missing step yields `undefined`. */
export function readSegments(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || current === undefined) return undefined;
    current = readSegment(current, segment);
  }
  return current;
}
