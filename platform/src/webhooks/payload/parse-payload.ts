import type { WebhookContentType } from '../schemes/index.js';
import { parseFormBody } from './parse-form.js';
import { decodeUtf8, parseJsonBody, parseJsonText } from './parse-json.js';
import { parseXmlBody } from './parse-xml.js';

/**
 * Parses a verified body by its content type. Every failure, including invalid UTF-8 and
 * over-deep nesting, throws LumioError WEBHOOK_BODY_INVALID with status 400.
 */
export function parsePayload(contentType: WebhookContentType, raw: Uint8Array): unknown {
  switch (contentType) {
    case 'json':
      return parseJsonBody(raw);
    case 'form':
      return parseFormBody(raw);
    case 'xml':
      return parseXmlBody(raw);
  }
}

/** A parsed body and, for JSON, the text it was parsed from. */
export interface ParsedBody {
  value: unknown;
  /** The body decoded as UTF-8 when it is JSON; undefined for form and XML bodies. */
  jsonText: string | undefined;
}

/** Parses a verified body as `parsePayload` does, and keeps the decoded text of a JSON body. */
export function parseBody(contentType: WebhookContentType, raw: Uint8Array): ParsedBody {
  if (contentType !== 'json') return { value: parsePayload(contentType, raw), jsonText: undefined };

  const text = decodeUtf8(raw);
  return { value: parseJsonText(text, 'The webhook body'), jsonText: text };
}
