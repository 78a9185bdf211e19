import type { ObjectDefinition } from '@lumio/plugin-sdk';

import { getPath } from '../runtime/index.js';

/**
 * When the provider last changed a record, as ISO 8601, read from the object's incremental
 * cursor field. Undefined when the object declares no cursor or the value is unreadable,
 * so the store keeps what it had.
 */
export function readSourceUpdatedAt(definition: ObjectDefinition | undefined, record: unknown): string | undefined {
  const incremental = definition?.incremental;
  if (!incremental) return undefined;

  const value = getPath(record, incremental.cursorField);
  let epochMs: number;
  if (incremental.cursorFormat === 'iso8601') {
    if (typeof value !== 'string') return undefined;
    epochMs = Date.parse(value);
  } else {
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number') return undefined;
    epochMs = incremental.cursorFormat === 'epochSeconds' ? number * 1000 : number;
  }

  return Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : undefined;
}
