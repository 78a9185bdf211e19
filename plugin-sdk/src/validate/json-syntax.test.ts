import { describe, expect, it } from 'vitest';

import { findJsonSyntaxError } from './json-syntax.js';

/** Independent line and column computation for an offset: split the text before it at line breaks. */
function expectedPosition(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

const VALID_SAMPLES: unknown[] = [
  null,
  true,
  0,
  -12.5e-3,
  'text with "quotes" and \\ and \u0001 and é',
  [],
  {},
  [1, [2, [3, { a: [] }]]],
  { id: 'hubspot', nested: { list: [1, 'two', false, null], empty: {} } },
];

describe('findJsonSyntaxError', () => {
  it('accepts valid JSON', () => {
    for (const sample of VALID_SAMPLES) {
      expect(findJsonSyntaxError(JSON.stringify(sample))).toBeUndefined();
      expect(findJsonSyntaxError(`\n  ${JSON.stringify(sample, null, 2)}\r\n`)).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on damaged text', () => {
    const source = JSON.stringify({ id: 'x', list: [1, 2.5, true, null, 'a\\b'], nested: { key: 'value' } }, null, 1);
    for (let index = 0; index < source.length; index++) {
      for (const damaged of [source.slice(0, index) + source.slice(index + 1), source.slice(0, index)]) {
        let parses = true;
        try {
          JSON.parse(damaged);
        } catch {
          parses = false;
        }
        expect(findJsonSyntaxError(damaged) === undefined, JSON.stringify(damaged)).toBe(parses);
      }
    }
  });

  it('locates a missing comma', () => {
    const text = '{\n  "id": "x",\n  "name": "y"\n  "version": "1"\n}';
    const error = findJsonSyntaxError(text);
    expect(error?.offset).toBe(text.indexOf('"version"'));
    expect(error).toMatchObject(expectedPosition(text, text.indexOf('"version"')));
    expect(error?.message).toContain("expected ',' or '}'");
  });

  it('names a trailing comma', () => {
    const text = '{\n  "a": [1, 2,],\n  "b": 1\n}';
    const error = findJsonSyntaxError(text);
    expect(error?.offset).toBe(text.indexOf(']'));
    expect(error?.line).toBe(2);
    expect(error?.message).toContain('trailing comma');
  });

  it('names single quotes and comments', () => {
    expect(findJsonSyntaxError("{ 'a': 1 }")?.message).toContain('double quotes');
    expect(findJsonSyntaxError('{ "a": 1 // note\n}')?.message).toContain('Comments');
    expect(findJsonSyntaxError('[1, /* x */ 2]')?.message).toContain('Comments');
  });

  it('names unquoted words', () => {
    const error = findJsonSyntaxError('{ "a": tru }');
    expect(error?.offset).toBe(7);
    expect(error?.message).toContain("'tru'");
  });

  it('reports an unterminated string', () => {
    const error = findJsonSyntaxError('[1, "abc');
    expect(error?.offset).toBe(4);
    expect(error?.message).toContain('Unterminated string');
  });

  it('rejects a line break in a string', () => {
    const text = '{\n  "name": "HubSpot\n}';
    const error = findJsonSyntaxError(text);
    expect(error).toMatchObject(expectedPosition(text, text.indexOf('HubSpot') + 'HubSpot'.length));
    expect(error?.message).toContain('control character');
  });

  it('reports the end of input', () => {
    const text = '{ "a": [1, 2';
    expect(findJsonSyntaxError(text)).toMatchObject({ offset: text.length, line: 1, column: text.length + 1 });
    expect(findJsonSyntaxError('')?.message).toContain('end of input');
  });

  it('survives deep nesting', () => {
    const text = '['.repeat(200_000);
    expect(findJsonSyntaxError(text)?.offset).toBe(text.length);
  });

  it('rejects text after the value', () => {
    const error = findJsonSyntaxError('{"a": 1} {"b": 2}');
    expect(error?.offset).toBe(9);
    expect(error?.message).toContain('after the end');
  });
});
