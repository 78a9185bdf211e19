import { FORBIDDEN_SEGMENTS, readSegments, splitDotPath } from '../templates/index.js';

// Plain dot paths ("properties.email", "address.city") in canonical data and provider
// payloads. Write-back does not follow array paths ("items[].sku").

const PLAIN_PATH = /^[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*$/;

/** True for a dot path of property names without "[]" and without prototype members. */
export function isPlainPath(path: string): boolean {
  return PLAIN_PATH.test(path) && !splitDotPath(path).some((segment) => FORBIDDEN_SEGMENTS.has(segment));
}

/** Reads a dot path; a missing step gives undefined. */
export function readPath(value: unknown, path: string): unknown {
  return readSegments(value, splitDotPath(path));
}

/**
 * Writes `value` at a dot path of `target`, creating objects on the way and replacing
 * non-objects. A path through a prototype member writes nothing.
 */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = splitDotPath(path);
  if (segments.length === 0 || segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) return;
  let container = target;
  for (const segment of segments.slice(0, -1)) {
    const child = container[segment];
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
      container = child as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      container[segment] = created;
      container = created;
    }
  }
  container[segments[segments.length - 1] as string] = value;
}

/** Dot paths of the leaves of a JSON object: scalars, arrays and empty objects. */
export function listLeafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length > 0) {
      paths.push(...listLeafPaths(child as Record<string, unknown>, path));
    } else {
      paths.push(path);
    }
  }
  return paths;
}

/** True when one path equals the other or contains it ("address" and "address.city"). */
export function pathsOverlap(left: string, right: string): boolean {
  return left === right || left.startsWith(`${right}.`) || right.startsWith(`${left}.`);
}
