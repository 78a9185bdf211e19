import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Standard Webhooks verification written here from the specification (1.0.0), so the
// tests check the platform's signatures against code that shares nothing with it.

export interface VerifiedWebhook {
  id: string;
  timestampSeconds: number;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (typeof value !== 'string' || value === '') throw new Error(`The request has no ${name} header.`);
  return value;
}

/**
 * Verifies a received request with a `whsec_` secret and returns its parsed content.
 * Throws when a header is missing, the timestamp is more than `toleranceSeconds` from
 * now, or no `v1` signature matches.
 */
export function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, toleranceSeconds = 300): VerifiedWebhook {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');

  const timestampSeconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - timestampSeconds) > toleranceSeconds) {
    throw new Error(`The webhook-timestamp ${timestamp} is outside the ${toleranceSeconds}-second tolerance.`);
  }

  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  const matched = signatures.split(' ').some((entry) => {
    const separator = entry.indexOf(',');
    if (entry.slice(0, separator) !== 'v1') return false;
    const received = Buffer.from(entry.slice(separator + 1), 'base64');
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
  if (!matched) throw new Error(`No v1 signature in "${signatures}" matches the body.`);

  return { id, timestampSeconds, payload: JSON.parse(body) };
}
