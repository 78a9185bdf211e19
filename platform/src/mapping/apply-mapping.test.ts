import { describe, expect, it, vi } from 'vitest';
import { LumioError } from '../errors/index.js';
import type { FieldMapping, FieldRule } from '../runtime/manifest-types.js';
import { applyMapping, type LookupMatch } from './apply-mapping.js';
import { compileMapping } from './compile-mapping.js';

function mapping(fields: FieldRule[]): FieldMapping {
  return { object: 'contacts', canonicalObject: 'contact', fields };
}

function compileError(fields: FieldRule[]): LumioError {
  try {
    compileMapping(mapping(fields));
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected MAPPING_INVALID');
}

describe('compileMapping', () => {
  it('names the bad rule', () => {
    const error = compileError([
      { target: 'email', source: 'properties.email' },
      { target: 'firstName', source: 'properties.firstname', transforms: [{ type: 'split' } as never] },
    ]);
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.details).toEqual({ ruleIndex: 1, target: 'firstName' });
    expect(error.message).toContain('rule 1');
    expect(error.message).toContain('separator');
  });

  it('rejects a rule without source', () => {
    expect(compileError([{ target: 'email' }]).message).toContain('exactly one of');
    expect(compileError([{ target: 'email', source: 'a', constant: 'x' }]).code).toBe('MAPPING_INVALID');
  });

  it('rejects prototype paths', () => {
    expect(compileError([{ target: '__proto__.x', constant: 1 }]).code).toBe('MAPPING_INVALID');
    expect(compileError([{ target: 'x', source: 'constructor.name' }]).code).toBe('MAPPING_INVALID');
  });

  it('rejects an id target', () => {
    expect(compileError([{ target: 'id', source: 'id' }]).message).toContain('"id"');
  });

  it('rejects overlapping targets', () => {
    expect(compileError([{ target: 'address', constant: null }, { target: 'address.city', source: 'city' }]).message).toContain(
      'rule 0',
    );
    expect(compileError([{ target: 'email', source: 'a' }, { target: 'email', source: 'b' }]).code).toBe('MAPPING_INVALID');
  });

  it('allows sibling array targets', () => {
    expect(() =>
      compileMapping(mapping([{ target: 'items[].sku', source: 'lines[].sku' }, { target: 'items[].qty', source: 'lines[].quantity' }])),
    ).not.toThrow();
  });
});

describe('applyMapping', () => {
  it('maps nested sources and targets', async () => {
    const compiled = compileMapping(
      mapping([
        { target: 'email', source: 'properties.email', transforms: [{ type: 'trim' }, { type: 'case', to: 'lower' }] },
        { target: 'address.city', source: 'properties.city' },
        { target: 'address.country', constant: 'BR' },
        { target: 'firstTag', source: 'tags.0' },
        { target: 'phone', source: 'properties.phone', transforms: [{ type: 'default', value: 'unknown' }] },
      ]),
    );
    const [result] = await applyMapping(compiled, [
      { properties: { email: '  ANA@EXAMPLE.COM ', city: 'São Paulo' }, tags: ['vip', 'b2b'] },
    ]);
    expect(result?.errors).toEqual([]);
    expect(result?.data).toEqual({
      email: 'ana@example.com',
      address: { city: 'São Paulo', country: 'BR' },
      firstTag: 'vip',
      phone: 'unknown',
    });
  });

  it('yields null for missing sources', async () => {
    const compiled = compileMapping(mapping([{ target: 'name', source: 'properties.name', transforms: [{ type: 'trim' }] }]));
    const [result] = await applyMapping(compiled, [{ properties: {} }]);
    expect(result?.data).toEqual({ name: null });
  });

  it('does not read inherited properties', async () => {
    const compiled = compileMapping(mapping([{ target: 'x', source: 'toString' }, { target: 'y', source: 'list.length' }]));
    const [result] = await applyMapping(compiled, [{ list: [1, 2] }]);
    expect(result?.data).toEqual({ x: null, y: null });
  });

  it('maps arrays element by element', async () => {
    const compiled = compileMapping(
      mapping([
        { target: 'items[].sku', source: 'line_items[].sku', transforms: [{ type: 'case', to: 'upper' }] },
        { target: 'items[].quantity', source: 'line_items[].quantity', transforms: [{ type: 'convert', to: 'integer' }] },
        { target: 'skus', source: 'line_items[].sku', transforms: [{ type: 'concat', separator: ',' }] },
      ]),
    );
    const [result] = await applyMapping(compiled, [
      { line_items: [{ sku: 'a-1', quantity: '2' }, { sku: 'b-2', quantity: '1' }] },
    ]);
    expect(result?.data).toEqual({
      items: [
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-2', quantity: 1 },
      ],
      skus: 'a-1,b-2',
    });
  });

  it('leaves array targets out for null', async () => {
    const compiled = compileMapping(mapping([{ target: 'items[].sku', source: 'line_items[].sku' }]));
    const [result] = await applyMapping(compiled, [{}]);
    expect(result?.data).toEqual({});
  });

  it('concatenates several sources', async () => {
    const compiled = compileMapping(
      mapping([{ target: 'fullName', sources: ['first', 'middle', 'last'], transforms: [{ type: 'concat', skipEmpty: true }] }]),
    );
    const [result] = await applyMapping(compiled, [{ first: 'Ana', last: 'Souza' }]);
    expect(result?.data).toEqual({ fullName: 'Ana Souza' });
  });

  it('reports bad values per field', async () => {
    const compiled = compileMapping(
      mapping([
        { target: 'amount', source: 'amount', transforms: [{ type: 'convert', to: 'number' }] },
        { target: 'name', source: 'name' },
      ]),
    );
    const results = await applyMapping(compiled, [{ amount: 'twelve', name: 'A' }, { amount: '12', name: 'B' }]);
    expect(results[0]?.data).toEqual({ amount: null, name: 'A' });
    expect(results[0]?.errors).toHaveLength(1);
    expect(results[0]?.errors[0]?.target).toBe('amount');
    expect(results[0]?.errors[0]?.code).toBe('CONVERSION_FAILED');
    expect(results[0]?.errors[0]?.message).toContain('"twelve"');
    expect(results[1]).toEqual({ data: { amount: 12, name: 'B' }, errors: [] });
  });

  it('reports a non-object record', async () => {
    const compiled = compileMapping(mapping([{ target: 'name', source: 'name' }]));
    const [result] = await applyMapping(compiled, ['text']);
    expect(result?.errors[0]?.code).toBe('TYPE_MISMATCH');
  });

  it('batches lookups per page', async () => {
    const companies = new Map<string, LookupMatch>([
      ['c1', { id: 'lumio-c1', data: { name: 'Acme' } }],
      ['c2', { id: 'lumio-c2', data: { name: 'Globex' } }],
    ]);
    const owners = new Map<string, LookupMatch>([['7', { id: 'lumio-u7', data: {} }]]);
    const lookup = vi.fn(async (canonicalObject: string, ids: string[]) => {
      const table = canonicalObject === 'company' ? companies : owners;
      return new Map(ids.filter((id) => table.has(id)).map((id) => [id, table.get(id) as LookupMatch]));
    });
    const compiled = compileMapping(
      mapping([
        { target: 'companyId', source: 'companyId', transforms: [{ type: 'lookup', canonicalObject: 'company' }] },
        {
          target: 'companyName',
          source: 'companyId',
          transforms: [{ type: 'lookup', canonicalObject: 'company', field: 'name' }, { type: 'case', to: 'upper' }],
        },
        { target: 'ownerId', source: 'ownerId', transforms: [{ type: 'lookup', canonicalObject: 'customer' }] },
      ]),
    );
    const records = [
      { companyId: 'c1', ownerId: 7 },
      { companyId: 'c2', ownerId: 7 },
      { companyId: 'c1' },
      { companyId: 'missing', ownerId: 7 },
    ];

    const results = await applyMapping(compiled, records, { lookup });

    expect(lookup).toHaveBeenCalledTimes(2);
    const companyCall = lookup.mock.calls.find(([object]) => object === 'company');
    expect(companyCall?.[1].sort()).toEqual(['c1', 'c2', 'missing']);
    const ownerCall = lookup.mock.calls.find(([object]) => object === 'customer');
    expect(ownerCall?.[1]).toEqual(['7']);

    expect(results[0]?.data).toEqual({ companyId: 'lumio-c1', companyName: 'ACME', ownerId: 'lumio-u7' });
    expect(results[1]?.data).toEqual({ companyId: 'lumio-c2', companyName: 'GLOBEX', ownerId: 'lumio-u7' });
    expect(results[2]?.data).toEqual({ companyId: 'lumio-c1', companyName: 'ACME', ownerId: null });
    expect(results[2]?.errors).toEqual([]);
    expect(results[3]?.data.companyId).toBeNull();
    expect(results[3]?.errors.map((error) => error.code)).toEqual(['LOOKUP_NOT_FOUND', 'LOOKUP_NOT_FOUND']);
  });

  it('runs default after a null lookup', async () => {
    const lookup = vi.fn(async () => new Map<string, LookupMatch>());
    const compiled = compileMapping(
      mapping([
        {
          target: 'companyId',
          source: 'companyId',
          transforms: [{ type: 'lookup', canonicalObject: 'company' }, { type: 'default', value: 'none' }],
        },
      ]),
    );
    const [result] = await applyMapping(compiled, [{}], { lookup });
    expect(result?.data).toEqual({ companyId: 'none' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('requires a lookup function', async () => {
    const compiled = compileMapping(
      mapping([{ target: 'companyId', source: 'c', transforms: [{ type: 'lookup', canonicalObject: 'company' }] }]),
    );
    await expect(applyMapping(compiled, [{ c: '1' }])).rejects.toMatchObject({ code: 'MAPPING_LOOKUP_UNAVAILABLE' });
  });
});
