import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeBase64 } from './hmac.js';
import type { WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';
const SIGNATURE_HEADER_NAME = 'X-Shopify-Hmac-Sha256';
const DELIVERY_ID_HEADER = 'x-shopify-webhook-id';
const SHA256_BYTES = 32;

/**
 * Shopify webhooks: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body, keyed
 * with the app's client secret. Shopify signs no timestamp, so replays are caught only by the
 * duplicate check on `X-Shopify-Webhook-Id`.
 */
export const shopifyScheme: WebhookScheme = {
  name: 'shopify',

  acceptedContentTypes: (declared) => [declared],

  verify({ request, secrets }) {
    const keys = usableSecrets(secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    const signature = decodeBase64(header);
    if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

    const matches = matchesAnySecret(keys, [signature], (secret) => computeHmac('sha256', secret, request.body));
    if (!matches) return signatureMismatch(SIGNATURE_HEADER_NAME);

    return { ok: true, deliveryId: readHeader(request, DELIVERY_ID_HEADER) };
  },

  sign({ secret, body, id, url }) {
    const signature = computeHmac('sha256', secret, body).toString('base64');
    return { headers: { [SIGNATURE_HEADER]: signature, [DELIVERY_ID_HEADER]: id }, url };
  },
};
