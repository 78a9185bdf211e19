import type { WebhookContentType } from '../schemes/index.js';
import { parseFormBody } from './parse-form.js';
import { parseJsonBody } from './parse-json.js';
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
