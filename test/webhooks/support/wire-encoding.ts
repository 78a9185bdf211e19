/**
 * How a body is written on the wire. "plain" is what a typical sender writes. "escaped" spells
 * the same values differently, with JSON `\/` and `\u` escapes, lower-case percent escapes or
 * XML character references. A router that re-serialises the body before checking its
 * signature fails on it, while one that checks the raw bytes passes.
 */
export type WireStyle = 'plain' | 'escaped';

/** Text with a slash, quotes, a backslash, an ampersand, accents and emoji. */
export const UNICODE_TEXT = 'Olá, José / São Paulo: pão & café "já" \\ fim 😀🚀';

/** Characters the escaped JSON style writes as `\u` escapes. Other non-ASCII text stays raw UTF-8. */
const JSON_ESCAPED = ['á', 'é', 'ç', '😀'];

/** Writes a JSON body. The escaped style uses `\/` for every slash and `\u` escapes for some characters. */
export function jsonBody(value: unknown, wire: WireStyle): Buffer {
  let text = JSON.stringify(value);
  if (wire === 'escaped') {
    text = text.replaceAll('/', '\\/');
    for (const character of JSON_ESCAPED) text = text.replaceAll(character, unicodeEscapes(character));
  }
  return Buffer.from(text, 'utf8');
}

function unicodeEscapes(character: string): string {
  let escaped = '';
  for (let index = 0; index < character.length; index += 1) {
    escaped += `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  return escaped;
}

/**
 * Writes an application/x-www-form-urlencoded body. The plain style is what URLSearchParams
 * writes, with "+" for spaces and upper-case escapes. The escaped style uses "%20" and
 * lower-case hex, which decode to the same fields.
 */
export function formBody(fields: ReadonlyArray<readonly [string, string]>, wire: WireStyle): Buffer {
  if (wire === 'plain') return Buffer.from(new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString(), 'utf8');

  const lowerHex = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  return Buffer.from(fields.map(([name, value]) => `${lowerHex(name)}=${lowerHex(value)}`).join('&'), 'utf8');
}

/**
 * Escapes text for an XML element. The escaped style also writes accents and emoji as
 * decimal and hexadecimal character references.
 */
export function xmlText(text: string, wire: WireStyle): string {
  const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  if (wire === 'plain') return escaped;
  return escaped.replaceAll('é', '&#233;').replaceAll('😀', '&#x1F600;').replaceAll('"', '&quot;');
}

/**
 * Returns a copy of the body with one byte changed: the first "tamper" becomes "tamPer".
 * Throws when the body does not contain the marker, so a test cannot pass on an unchanged body.
 */
export function changeOneByte(body: Buffer): Buffer {
  const index = body.indexOf('tamper');
  if (index < 0) throw new Error('The body has no "tamper" marker to change.');

  const changed = Buffer.from(body);
  changed[index + 3] = 'P'.charCodeAt(0);
  return changed;
}
