import { readSegments, splitDotPath } from '../templates/index.js';

/**
 * Reads a dot path ("properties.email", "items.0.sku"; "" is the value itself) from a
 * value, following own properties and array indexes only. Missing steps give undefined.
 */
export function getPath(value: unknown, dotPath: string): unknown {
  return readSegments(value, splitDotPath(dotPath));
}
