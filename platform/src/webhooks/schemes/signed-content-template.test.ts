import { describe, expect, it } from 'vitest';
import { parseSignedContent, renderSignedContent, templateUses } from './signed-content-template.js';

describe('parseSignedContent', () => {
  it('splits text and placeholders', () => {
    expect(parseSignedContent('v0:{{ timestamp }}:{{body}}')).toEqual({
      parts: [{ text: 'v0:' }, { value: 'timestamp' }, { text: ':' }, { value: 'body' }],
    });
  });

  it('keeps a template without placeholders as text', () => {
    expect(parseSignedContent('static')).toEqual({ parts: [{ text: 'static' }] });
  });

  it('reports the first unknown name', () => {
    expect(parseSignedContent('{{ body }}{{ Body }}{{ other }}')).toEqual({ unknownName: 'Body' });
    expect(parseSignedContent('{{ }}')).toEqual({ unknownName: '' });
    expect(parseSignedContent('{{ process.env.SECRET }}')).toEqual({ unknownName: 'process.env.SECRET' });
  });

  it('leaves unbalanced braces as text', () => {
    expect(parseSignedContent('{{ body }} {{ id')).toEqual({ parts: [{ value: 'body' }, { text: ' {{ id' }] });
  });
});

describe('renderSignedContent', () => {
  it('joins text and values as bytes', () => {
    const parsed = parseSignedContent('{{ method }} {{ url }}|{{ body }}');
    if (!('parts' in parsed)) throw new Error('expected a parsed template');
    const body = Buffer.from([0xff, 0x00, 0x41]);

    const rendered = renderSignedContent(parsed.parts, { method: 'POST', url: 'https://x.test/ação', body });

    expect(rendered.equals(Buffer.concat([Buffer.from('POST https://x.test/ação|', 'utf8'), body]))).toBe(true);
  });

  it('tells which values a template uses', () => {
    const parsed = parseSignedContent('{{ id }}.{{ body }}');
    if (!('parts' in parsed)) throw new Error('expected a parsed template');

    expect(templateUses(parsed.parts, 'id')).toBe(true);
    expect(templateUses(parsed.parts, 'timestamp')).toBe(false);
  });
});
