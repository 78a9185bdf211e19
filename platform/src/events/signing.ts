import { createHmac, randomBytes } from 'node:crypto';

import { LumioError } from '../errors/index.js';

// Standard Webhooks signing (specification 1.0.0): the key is the base64 after `whsec_`,
// and `webhook-signature` is `v1,` followed by the base64 HMAC-SHA256 of
// `${webhook-id}.${webhook-timestamp}.${body}`, with the timestamp in epoch seconds.

export const SECRET_PREFIX = 'whsec_';

/**
 * Minimum and maximum decoded key length, in bytes. Standard Webhooks 1.0.0 gives 24 bytes
 * as the minimum and 512 as the maximum, which only makes sense as bits, so 64 bytes.
 */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Bytes of a generated key: 32, so the key is as long as the SHA-256 block it feeds. */
const GENERATED_KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Creates a random signing secret, `whsec_` followed by the base64 of 32 bytes. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(GENERATED_KEY_BYTES).toString('base64')}`;
}

function invalidSecret(message: string): LumioError {
  return new LumioError('FIELD_INVALID', message, { status: 400, fault: 'caller', details: { field: 'secret' } });
}

/**
 * Decodes a `whsec_` secret into its HMAC key. Raises FIELD_INVALID (400) for anything
 * that Standard Webhooks libraries would not accept as a secret. The message never
 * contains the secret.
 */
export function decodeSigningSecret(secret: unknown): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) {
    throw invalidSecret('secret must start with whsec_ followed by base64, as Standard Webhooks libraries expect; leave it out to have Lumio generate one.');
  }

  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw invalidSecret('The part of secret after whsec_ is not valid base64; generate one with `openssl rand -base64 32` or leave secret out.');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw invalidSecret(`secret decodes to ${key.length} bytes; use ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes, for example from \`openssl rand -base64 32\`.`);
  }
  return key;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Builds the three Standard Webhooks headers of one attempt. `timestampSeconds` is the attempt's time. */
export function signDelivery(key: Buffer, id: string, timestampSeconds: number, body: string): SignedHeaders {
  const timestamp = String(timestampSeconds);
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
