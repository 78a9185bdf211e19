import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_NESTING_DEPTH, bodyInvalid } from './body-invalid.js';
import { decodeUtf8 } from './parse-json.js';
import { xmlEntityDecoder } from './xml-entities.js';

const DOCUMENT_TYPE = /<!DOCTYPE|<!ENTITY/i;

/**
 * Namespace prefixes are removed (`soapenv:Envelope` becomes `Envelope`, `xsi:type` becomes
 * `@_type`) because a sender may choose any prefix, so manifest paths must not depend on
 * it. Values stay strings: an id such as "00123" must not turn into a number.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  entityDecoder: xmlEntityDecoder,
  // fast-xml-parser 5.12 rejects only when the open-tag stack exceeds this by two, so one
  // less allows exactly MAX_NESTING_DEPTH levels of elements (the tests check both sides).
  maxNestedTags: MAX_NESTING_DEPTH - 1,
});

/**
 * Parses an XML body. A document type declaration is rejected outright, so no entity can be
 * declared and expanded (SOAP 1.1 and 1.2 forbid DTDs in messages anyway). Only the
 * predefined entities and numeric character references are decoded.
 * NOTE: the body must be UTF-8, because an XML declaration naming another encoding is ignored.
 */
export function parseXmlBody(raw: Uint8Array): unknown {
  const text = decodeUtf8(raw);
  if (DOCUMENT_TYPE.test(text)) {
    throw bodyInvalid('The webhook XML body contains a document type declaration. Send XML without <!DOCTYPE> or <!ENTITY>.');
  }

  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw bodyInvalid(`The webhook body is not well-formed XML: ${validation.err.msg} (line ${validation.err.line}).`);
  }

  try {
    return parser.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw bodyInvalid(`The webhook XML body could not be parsed (${reason}).`, error);
  }
}
