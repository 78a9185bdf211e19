import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { getPath } from './get-path.js';
import { selectRecords } from './select-records.js';

const SOURCE = { object: 'contacts', operation: 'list' };

function selectionError(body: unknown, path: string): LumioError {
  try {
    selectRecords(body, { path }, SOURCE);
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected RECORD_SELECTOR_INVALID');
}

describe('selectRecords', () => {
  it('selects a top-level array', () => {
    const body = [{ id: 1 }, { id: 2 }];
    expect(selectRecords(body, { path: '' }, SOURCE)).toBe(body);
  });

  it('selects by dot path', () => {
    expect(selectRecords({ results: [{ id: 1 }] }, { path: 'results' }, SOURCE)).toEqual([{ id: 1 }]);
    expect(selectRecords({ data: { items: [{ id: 2 }] } }, { path: 'data.items' }, SOURCE)).toEqual([{ id: 2 }]);
  });

  it('treats null as empty', () => {
    expect(selectRecords({ data: null }, { path: 'data' }, SOURCE)).toEqual([]);
  });

  it('describes what it found', () => {
    const object = selectionError({ results: { paging: {}, total: 3 } }, 'results');
    expect(object.code).toBe('RECORD_SELECTOR_INVALID');
    expect(object.message).toContain('an object with keys paging, total');
    expect(object.message).toContain('"contacts"');
    expect(object.fault).toBe('connector');

    expect(selectionError({ other: [] }, 'results').message).toContain('found nothing');
    expect(selectionError('<html>', '').message).toContain('the response body but found a string');
    expect(selectionError({ results: 5 }, 'results').details.found).toBe('a number');
  });

  it('does not leak record values', () => {
    expect(selectionError({ results: { email: 'ana@example.com' } }, 'results').message).not.toContain('ana@example.com');
  });
});

describe('getPath', () => {
  const record = { properties: { email: 'a@b.c' }, items: [{ sku: 'X' }, { sku: 'Y' }], '0': 'zero' };

  it('reads nested values and indexes', () => {
    expect(getPath(record, 'properties.email')).toBe('a@b.c');
    expect(getPath(record, 'items.1.sku')).toBe('Y');
    expect(getPath(record, '0')).toBe('zero');
    expect(getPath(record, '')).toBe(record);
  });

  it('returns undefined for missing steps', () => {
    expect(getPath(record, 'properties.phone.number')).toBeUndefined();
    expect(getPath(record, 'items.5.sku')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
  });

  it('ignores inherited members', () => {
    expect(getPath(record, 'constructor')).toBeUndefined();
    expect(getPath(record, '__proto__')).toBeUndefined();
    expect(getPath(record, 'items.length')).toBeUndefined();
    expect(getPath(record, 'properties.toString')).toBeUndefined();
  });
});
