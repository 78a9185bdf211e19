import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import { MAX_NESTING_DEPTH } from './body-invalid.js';
import { parsePayload } from './parse-payload.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

function expectBodyInvalid(run: () => unknown, message: RegExp): void {
  const error = captureError(run);
  expect(error.code).toBe('WEBHOOK_BODY_INVALID');
  expect(error.status).toBe(400);
  expect(error.fault).toBe('caller');
  expect(error.message).toMatch(message);
}

const form = (text: string) => parsePayload('form', Buffer.from(text, 'utf8'));

describe('parsePayload form', () => {
  it('parses flat fields', () => {
    expect(form('command=%2Fweather&text=94070&user_name=Steve+Jobs')).toEqual({ command: '/weather', text: '94070', user_name: 'Steve Jobs' });
  });

  it('returns an empty object for an empty body', () => {
    expect(form('')).toEqual({});
  });

  it('nests bracketed names', () => {
    const parsed = form('type=subscribe&data%5Bemail%5D=a%40example.com&data[merges][EMAIL]=a%40example.com&data[merges][FNAME]=Ana');

    expect(parsed).toEqual({ type: 'subscribe', data: { email: 'a@example.com', merges: { EMAIL: 'a@example.com', FNAME: 'Ana' } } });
  });

  it('keeps numeric brackets as object keys', () => {
    const parsed = form('a[0]=x&a[1]=y&g[0][id]=7&g[0][name]=Blue');

    expect(parsed).toEqual({ a: { 0: 'x', 1: 'y' }, g: { 0: { id: '7', name: 'Blue' } } });
    expect(Array.isArray((parsed as { a: unknown }).a)).toBe(false);
  });

  it('collects empty-bracket names into arrays', () => {
    expect(form('tag[]=a&tag[]=b&x[list][]=1')).toEqual({ tag: ['a', 'b'], x: { list: ['1'] } });
  });

  it('keeps the last value of a repeated name', () => {
    expect(form('status=old&status=new&data[id]=1&data[id]=2')).toEqual({ status: 'new', data: { id: '2' } });
  });

  it('keeps irregular names flat', () => {
    expect(form('a[b=1&c]d=2&e[][f]=3&=4&g')).toEqual({ 'a[b': '1', 'c]d': '2', 'e[][f]': '3', '': '4', g: '' });
  });

  it('decodes accents and emoji', () => {
    const encoded = `name=${encodeURIComponent('ação')}&mood=${encodeURIComponent('😀')}&raw=ação`;
    expect(form(encoded)).toEqual({ name: 'ação', mood: '😀', raw: 'ação' });
  });

  it('rejects prototype names', () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).length;

    expectBodyInvalid(() => form('__proto__[polluted]=1'), /"__proto__", which is not allowed/);
    expectBodyInvalid(() => form('constructor[prototype][polluted]=1'), /"constructor", which is not allowed/);
    expectBodyInvalid(() => form('a[__proto__][polluted]=1'), /"__proto__"/);
    expectBodyInvalid(() => form('a[b][prototype]=1'), /"prototype"/);
    expectBodyInvalid(() => form('__proto__=1'), /"__proto__"/);
    expectBodyInvalid(() => form('%5F%5Fproto%5F%5F%5Bpolluted%5D=1'), /"__proto__"/);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).toHaveLength(prototypeBefore);
  });

  it('reads inherited names as absent', () => {
    expect(form('toString[a]=1&hasOwnProperty=2')).toEqual({ toString: { a: '1' }, hasOwnProperty: '2' });
  });

  it('rejects a name used twice differently', () => {
    expectBodyInvalid(() => form('a=1&a[b]=2'), /"a\[b\]" uses a name that another field already uses/);
    expectBodyInvalid(() => form('a[b]=2&a=1'), /"a"/);
    expectBodyInvalid(() => form('a[]=1&a[b]=2'), /"a\[b\]"/);
    expectBodyInvalid(() => form('a=1&a[]=2'), /"a\[\]"/);
  });

  it('rejects nesting past the limit', () => {
    const atLimit = 'a' + '[b]'.repeat(MAX_NESTING_DEPTH - 1);
    expect(() => form(`${atLimit}=1`)).not.toThrow();

    expectBodyInvalid(() => form(`${atLimit}[c]=1`), /deeper than 64 levels/);
  });

  it('rejects malformed percent escapes', () => {
    expectBodyInvalid(() => form('a=100%'), /malformed percent escape/);
    expectBodyInvalid(() => form('a=%zz'), /malformed percent escape/);
    expectBodyInvalid(() => form('a=%FF'), /not UTF-8/);
    expectBodyInvalid(() => form('a=%C3'), /not UTF-8/);
  });

  it('rejects invalid UTF-8 bytes', () => {
    const raw = Buffer.concat([Buffer.from('a='), Buffer.from([0xe9])]);
    expectBodyInvalid(() => parsePayload('form', raw), /not valid UTF-8/);
  });

  it('quotes long names shortened', () => {
    const error = captureError(() => form(`${'x'.repeat(500)}=1&${'x'.repeat(500)}[y]=2`));
    expect(error.message.length).toBeLessThan(300);
  });
});
