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

const json = (text: string) => Buffer.from(text, 'utf8');

describe('parsePayload json', () => {
  it('parses an object', () => {
    expect(parsePayload('json', json('{"id":7,"tags":["a"]}'))).toEqual({ id: 7, tags: ['a'] });
  });

  it('parses arrays and scalars', () => {
    expect(parsePayload('json', json('[{"a":1},{"a":2}]'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parsePayload('json', json('"text"'))).toBe('text');
  });

  it('decodes escapes, accents and emoji', () => {
    const raw = json('{"path":"a\\/b","escaped":"\\u00e9","raw":"ação","emoji":"😀","pair":"\\ud83d\\ude00"}');
    expect(parsePayload('json', raw)).toEqual({ path: 'a/b', escaped: 'é', raw: 'ação', emoji: '😀', pair: '😀' });
  });

  it('ignores brackets inside strings for depth', () => {
    const text = `{"note":"${'['.repeat(MAX_NESTING_DEPTH * 2)}\\"]"}`;
    expect(parsePayload('json', json(text))).toEqual({ note: `${'['.repeat(MAX_NESTING_DEPTH * 2)}"]` });
  });

  it('counts brackets after an escaped backslash', () => {
    // The string ends at the quote after the escaped backslash, so the brackets that follow nest.
    const deep = `{"note":"\\\\","list":${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}}`;
    expectBodyInvalid(() => parsePayload('json', json(deep)), /deeper than 64 levels/);
  });

  it('accepts nesting at the limit', () => {
    const text = '['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH);
    expect(() => parsePayload('json', json(text))).not.toThrow();
  });

  it('rejects nesting past the limit', () => {
    const deep = '['.repeat(MAX_NESTING_DEPTH + 1) + ']'.repeat(MAX_NESTING_DEPTH + 1);
    expectBodyInvalid(() => parsePayload('json', json(deep)), /deeper than 64 levels/);

    const hostile = '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000);
    expectBodyInvalid(() => parsePayload('json', json(hostile)), /deeper than/);
  });

  it('rejects invalid UTF-8', () => {
    const raw = Buffer.concat([json('{"name":"'), Buffer.from([0xc3, 0x28]), json('"}')]);
    expectBodyInvalid(() => parsePayload('json', raw), /not valid UTF-8/);
    expectBodyInvalid(() => parsePayload('json', Buffer.from([0xff, 0xfe, 0x7b, 0x7d])), /not valid UTF-8/);
  });

  it('rejects malformed JSON', () => {
    expectBodyInvalid(() => parsePayload('json', json('{"a":')), /not valid JSON/);
    expectBodyInvalid(() => parsePayload('json', json('')), /not valid JSON/);
    expectBodyInvalid(() => parsePayload('json', json('a=1&b=2')), /not valid JSON/);
    expectBodyInvalid(() => parsePayload('json', json('{"a":1}}')), /not valid JSON/);
  });

  it('keeps __proto__ as a plain key', () => {
    const parsed = parsePayload('json', json('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;

    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
