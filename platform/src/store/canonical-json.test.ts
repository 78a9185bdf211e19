import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, computeContentHash, hashCanonicalParts } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('sorts integer-like keys as strings', () => {
    // JavaScript enumerates integer-like keys numerically; the canonical form must not.
    expect(canonicalJson({ b: 1, 10: 'x', 2: 'y' })).toBe('{"10":"x","2":"y","b":1}');
  });

  it('sorts by UTF-16 code units', () => {
    expect(canonicalJson({ 'é': 1, z: 2, Z: 3, '\u{1F600}': 4 })).toBe('{"Z":3,"z":2,"é":1,"\u{1F600}":4}');
  });

  it('follows JSON.stringify for edge values', () => {
    const date = new Date('2024-05-01T00:00:00Z');

    expect(canonicalJson({ skip: undefined, fn: () => 1, list: [undefined, NaN, Infinity], date })).toBe('{"date":"2024-05-01T00:00:00.000Z","list":[null,null,null]}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('a"b\n')).toBe(JSON.stringify('a"b\n'));
    expect(canonicalJson(-0)).toBe('0');
  });

  it('rejects cycles and bigints', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });

  it('accepts repeated non-cyclic references', () => {
    const shared = { x: 1 };

    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('computeContentHash', () => {
  it('hashes data, deleted and raw', () => {
    const expected = createHash('sha256').update('{"data":{"a":1},"deleted":false,"raw":{"id":"7"}}').digest('hex');

    expect(computeContentHash({ a: 1 }, { id: '7' }, false)).toBe(expected);
  });

  it('treats undefined as null', () => {
    expect(computeContentHash(undefined, undefined, true)).toBe(computeContentHash(null, null, true));
  });

  it('changes with the deleted flag', () => {
    expect(computeContentHash({ a: 1 }, {}, true)).not.toBe(computeContentHash({ a: 1 }, {}, false));
  });

  it('matches from canonical parts', () => {
    expect(hashCanonicalParts('{"a":1}', '[]', false)).toBe(computeContentHash({ a: 1 }, [], false));
  });
});
