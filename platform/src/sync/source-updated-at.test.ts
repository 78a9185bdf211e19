import type { ObjectDefinition } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { readSourceUpdatedAt } from './source-updated-at.js';

function definition(cursorFormat: 'iso8601' | 'epochMilliseconds' | 'epochSeconds'): ObjectDefinition {
  return {
    label: 'Contacts',
    description: 'Test object.',
    recordSchema: { type: 'object', properties: {} },
    primaryKey: 'id',
    operations: { list: { method: 'GET', path: '/contacts', recordSelector: { path: '' } } },
    incremental: { operation: 'list', cursorField: 'meta.updated', cursorFormat },
  };
}

describe('readSourceUpdatedAt', () => {
  it('normalises an ISO cursor', () => {
    expect(readSourceUpdatedAt(definition('iso8601'), { meta: { updated: '2025-03-01T12:00:00-03:00' } })).toBe('2025-03-01T15:00:00.000Z');
  });

  it('reads epoch seconds and milliseconds, also as strings', () => {
    expect(readSourceUpdatedAt(definition('epochSeconds'), { meta: { updated: 1_700_000_000 } })).toBe('2023-11-14T22:13:20.000Z');
    expect(readSourceUpdatedAt(definition('epochMilliseconds'), { meta: { updated: '1700000000000' } })).toBe('2023-11-14T22:13:20.000Z');
  });

  it('leaves unreadable values out', () => {
    expect(readSourceUpdatedAt(definition('iso8601'), { meta: { updated: 'yesterday' } })).toBeUndefined();
    expect(readSourceUpdatedAt(definition('epochSeconds'), { meta: {} })).toBeUndefined();
    expect(readSourceUpdatedAt(undefined, { meta: { updated: '2025-03-01T12:00:00Z' } })).toBeUndefined();
  });
});
