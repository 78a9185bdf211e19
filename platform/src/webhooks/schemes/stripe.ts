import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeHex } from './hmac.js';
import type { WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { checkSignedTime } from './signed-time.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'stripe-signature';
const SIGNATURE_HEADER_NAME = 'Stripe-Signature';
const SHA256_BYTES = 32;

/** The parts of a `Stripe-Signature` header this scheme uses. */
interface StripeSignatureHeader {
  /** The `t` value as sent: epoch seconds. */
  timestamp: string;
  /** Decoded `v1` signatures. Stripe sends several while an endpoint secret is being rolled. */
  signatures: Buffer[];
}

/**
 * Stripe webhooks: `Stripe-Signature: t=<epoch seconds>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`.
 * Each `v1` is the hex HMAC-SHA256, keyed with the endpoint secret (the whole `whsec_...`
 * string), of `${t}.${body}`. `v0` and any other scheme are ignored, as Stripe advises, so a
 * forged weaker scheme cannot downgrade the check.
 */
export const stripeScheme: WebhookScheme = {
  name: 'stripe',

  acceptedContentTypes: (declared) => [declared],

  verify(input) {
    const { request } = input;
    const keys = usableSecrets(input.secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    const parsed = parseStripeSignature(header);
    if (parsed === null) return headerMalformed(SIGNATURE_HEADER_NAME);

    const time = checkSignedTime(parsed.timestamp, 'seconds', SIGNATURE_HEADER_NAME, input);
    if ('failure' in time) return time.failure;

    const digest = (secret: string): Buffer => computeHmac('sha256', secret, parsed.timestamp, '.', request.body);
    if (!matchesAnySecret(keys, parsed.signatures, digest)) return signatureMismatch(SIGNATURE_HEADER_NAME);

    return { ok: true, signedAt: time.signedAt };
  },

  sign({ secret, body, now, url }) {
    const timestamp = String(Math.floor(now / 1000));
    const signature = computeHmac('sha256', secret, timestamp, '.', body).toString('hex');
    return { headers: { [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}` }, url };
  },
};

/**
 * Parses the comma-separated `key=value` list. Returns null when an item has no `=`, when `t`
 * is missing or repeated, or when no `v1` item contains a SHA-256 signature in hex. Unknown
 * keys and other `v1` items are skipped.
 */
export function parseStripeSignature(header: string): StripeSignatureHeader | null {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];

  for (const rawItem of header.split(',')) {
    const item = rawItem.trim();
    if (item.length === 0) continue;

    const separator = item.indexOf('=');
    if (separator <= 0) return null;
    const key = item.slice(0, separator);
    const value = item.slice(separator + 1);

    if (key === 't') {
      if (timestamp !== undefined) return null;
      timestamp = value;
    } else if (key === 'v1') {
      const signature = decodeHex(value);
      if (signature !== null && signature.length === SHA256_BYTES) signatures.push(signature);
    }
  }

  if (timestamp === undefined || signatures.length === 0) return null;
  return { timestamp, signatures };
}
