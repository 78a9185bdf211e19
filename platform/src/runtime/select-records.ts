import { LumioError } from '../errors/index.js';
import { getPath } from './get-path.js';
import type { RecordSelector } from './manifest-types.js';

/** Object and operation a selection belongs to, named in the error message. */
export interface SelectionSource {
  object: string;
  operation: string;
}

/**
 * Returns the array of records at the selector's dot path ("" selects a top-level
 * array). A null at the path is an empty page, because some APIs (Pipedrive) send
 * `"data": null` when nothing matches. Anything else raises `RECORD_SELECTOR_INVALID`.
 */
export function selectRecords(body: unknown, selector: RecordSelector, source: SelectionSource): unknown[] {
  const selected = getPath(body, selector.path);
  if (Array.isArray(selected)) return selected;
  if (selected === null) return [];

  const where = selector.path === '' ? 'the response body' : `"${selector.path}"`;
  throw new LumioError(
    'RECORD_SELECTOR_INVALID',
    `The ${source.operation} operation of "${source.object}" expected an array of records at ${where} but found ${describeValue(selected)}; fix recordSelector.path in the manifest.`,
    { status: 502, fault: 'connector', details: { ...source, path: selector.path, found: describeValue(selected) } },
  );
}

/** Describes a value's shape without echoing its content, e.g. "an object with keys paging, total". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 8).join(', ');
    return keys.length === 0 ? 'an empty object' : `an object with keys ${shown}${keys.length > 8 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}
