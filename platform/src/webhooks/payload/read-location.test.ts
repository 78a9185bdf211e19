import { describe, expect, it } from 'vitest';
import { readLocation } from './read-location.js';

const scope = {
  headers: { 'x-event-id': 'evt_1', 'content-type': 'application/json' },
  query: new URLSearchParams('connection=c1&empty='),
  event: {
    id: 'abc',
    objectId: 123,
    big: 2 ** 64,
    huge: 1e21,
    ratio: 0.25,
    flag: true,
    nothing: null,
    nested: { list: [{ id: 7 }] },
  },
};

describe('readLocation', () => {
  it('reads headers case-insensitively', () => {
    expect(readLocation({ in: 'header', path: 'X-Event-Id' }, scope)).toBe('evt_1');
    expect(readLocation({ in: 'header', path: 'x-missing' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'header', path: 'constructor' }, scope)).toBeUndefined();
  });

  it('reads query parameters', () => {
    expect(readLocation({ in: 'query', path: 'connection' }, scope)).toBe('c1');
    expect(readLocation({ in: 'query', path: 'empty' }, scope)).toBe('');
    expect(readLocation({ in: 'query', path: 'missing' }, scope)).toBeUndefined();
  });

  it('reads body strings and paths', () => {
    expect(readLocation({ in: 'body', path: 'id' }, scope)).toBe('abc');
    expect(readLocation({ in: 'body', path: 'nested.list.0.id' }, scope)).toBe('7');
  });

  it('turns numbers into decimal text', () => {
    expect(readLocation({ in: 'body', path: 'objectId' }, scope)).toBe('123');
    expect(readLocation({ in: 'body', path: 'big' }, scope)).toBe('18446744073709551616');
    expect(readLocation({ in: 'body', path: 'huge' }, scope)).toBe('1000000000000000000000');
    expect(readLocation({ in: 'body', path: 'ratio' }, scope)).toBe('0.25');
  });

  it('returns undefined for other values', () => {
    expect(readLocation({ in: 'body', path: 'flag' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'body', path: 'nothing' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'body', path: 'nested' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'body', path: 'missing.deeper' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'body', path: 'id.constructor' }, scope)).toBeUndefined();
    expect(readLocation({ in: 'body', path: 'id' }, { ...scope, event: 'text' })).toBeUndefined();
  });
});
