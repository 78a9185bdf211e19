import { LumioError } from '../errors/index.js';

/** Reads a boolean query parameter: absent or `false` is false, `true` is true, anything else a 400. */
export function parseBoolean(raw: string | undefined, field: string): boolean {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new LumioError('FIELD_INVALID', `${field} must be true or false, got "${raw}".`, { status: 400, fault: 'caller', details: { field } });
}
