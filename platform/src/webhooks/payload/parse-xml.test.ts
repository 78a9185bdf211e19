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

const xml = (text: string) => parsePayload('xml', Buffer.from(text, 'utf8'));

describe('parsePayload xml', () => {
  it('removes namespace prefixes', () => {
    const parsed = xml(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<soap:Body><n:item xsi:type="n:Thing" xmlns:n="urn:x"><n:Id>00123</n:Id></n:item></soap:Body></soap:Envelope>',
    );

    expect(parsed).toEqual({ Envelope: { Body: { item: { Id: '00123', '@_type': 'n:Thing' } } } });
  });

  it('keeps values as strings', () => {
    expect(xml('<a><n>0042</n><b>true</b><e></e></a>')).toEqual({ a: { n: '0042', b: 'true', e: '' } });
  });

  it('turns repeated elements into arrays', () => {
    expect(xml('<a><i>1</i><i>2</i></a>')).toEqual({ a: { i: ['1', '2'] } });
  });

  it('decodes predefined and numeric entities', () => {
    const parsed = xml('<a t="x &amp; &#233;"><v>A &amp; B &lt;&gt; &quot;&apos; &#233; &#xE7; &#x1F600;</v></a>');
    expect(parsed).toEqual({ a: { v: `A & B <> "' é ç 😀`, '@_t': 'x & é' } });
  });

  it('leaves unknown and invalid references as written', () => {
    expect(xml('<a>&nbsp; &#0; &#xD800; &#x110000;</a>')).toEqual({ a: '&nbsp; &#0; &#xD800; &#x110000;' });
  });

  it('reads raw accents and emoji', () => {
    expect(xml('<a>ação 😀</a>')).toEqual({ a: 'ação 😀' });
  });

  it('rejects a document type declaration', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
      '<lolz>&lol2;</lolz>';
    expectBodyInvalid(() => xml(laughs), /document type declaration/);
    expectBodyInvalid(() => xml('<!doctype a SYSTEM "file:///etc/passwd"><a>&x;</a>'), /document type declaration/);
  });

  it('rejects malformed XML', () => {
    expectBodyInvalid(() => xml(''), /not well-formed XML/);
    expectBodyInvalid(() => xml('<a><b></a>'), /not well-formed XML/);
    expectBodyInvalid(() => xml('{"json":true}'), /not well-formed XML/);
    expectBodyInvalid(() => xml('<a>'), /not well-formed XML/);
  });

  it('rejects invalid UTF-8', () => {
    const raw = Buffer.concat([Buffer.from('<a>'), Buffer.from([0xc3, 0x28]), Buffer.from('</a>')]);
    expectBodyInvalid(() => parsePayload('xml', raw), /not valid UTF-8/);
  });

  it('accepts nesting at the limit', () => {
    const depth = MAX_NESTING_DEPTH;
    expect(() => xml('<a>'.repeat(depth) + '</a>'.repeat(depth))).not.toThrow();
  });

  it('rejects nesting past the limit', () => {
    const depth = MAX_NESTING_DEPTH + 1;
    expectBodyInvalid(() => xml('<a>'.repeat(depth) + '</a>'.repeat(depth)), /could not be parsed/);
  });

  it('rejects prototype element names', () => {
    expectBodyInvalid(() => xml('<a><__proto__><polluted>yes</polluted></__proto__></a>'), /could not be parsed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
