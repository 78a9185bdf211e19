import { LumioError } from '../errors/index.js';
import type { StoredMapping } from '../store/index.js';

/** The public shape of one mapping version. */
export interface MappingVersionView {
  id: string;
  object: string;
  canonicalObject: string;
  version: number;
  definition: unknown;
  comment: string | null;
  /** Author: `key:<id>`, `user:<id>`, or `system` for the manifest's default copied at connect. */
  createdBy: string | null;
  createdAt: string;
  active: boolean;
}

export function versionView(mapping: StoredMapping): MappingVersionView {
  return {
    id: mapping.id,
    object: mapping.object,
    canonicalObject: mapping.canonicalObject,
    version: mapping.version,
    definition: mapping.definition,
    comment: mapping.comment,
    createdBy: mapping.createdBy,
    createdAt: mapping.createdAt,
    active: mapping.active,
  };
}

const CURSOR_TEXT = /^v([1-9]\d{0,9})$/;

/** Encodes the last version of a page; callers treat the cursor as opaque. */
export function encodeVersionCursor(version: number): string {
  return Buffer.from(`v${version}`, 'utf8').toString('base64url');
}

/** Returns the version a cursor continues after. Raises INVALID_CURSOR (400) for anything `encodeVersionCursor` did not make. */
export function decodeVersionCursor(cursor: string): number {
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) {
    throw new LumioError('INVALID_CURSOR', `The cursor "${cursor}" is not valid; pass the nextCursor of a previous page, or no cursor for the first page.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'cursor' },
    });
  }
  return Number(match[1]);
}
