import type { EntityDecoderOptions } from 'fast-xml-parser';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', apos: "'", gt: '>', lt: '<', quot: '"' };
const REFERENCE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z]+));/g;
const MAX_CODE_POINT = 0x10ffff;

/**
 * Entity decoder for fast-xml-parser that decodes only XML's five predefined entities and
 * numeric character references. Entities a document declares are ignored, so nothing can
 * expand into more text than the reference itself. Unknown references stay as written.
 */
export const xmlEntityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) => (text.includes('&') ? text.replace(REFERENCE, decodeReference) : text),
};

function decodeReference(reference: string, hex: string | undefined, decimal: string | undefined, name: string | undefined): string {
  if (name !== undefined) return Object.hasOwn(PREDEFINED, name) ? (PREDEFINED[name] ?? reference) : reference;

  const codePoint = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  if (codePoint === 0 || codePoint > MAX_CODE_POINT || isSurrogate) return reference;
  return String.fromCodePoint(codePoint);
}
