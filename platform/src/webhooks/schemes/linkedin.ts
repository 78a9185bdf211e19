import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeHex } from './hmac.js';
import type { WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-li-signature';
const SIGNATURE_HEADER_NAME = 'X-LI-Signature';
const PREFIX = 'hmacsha256=';
const SHA256_BYTES = 32;

/**
 * LinkedIn webhooks: `X-LI-Signature` is a hex HMAC-SHA256 keyed with the app's client
 * secret. LinkedIn's webhook guide (learn.microsoft.com/en-us/linkedin/shared/api-guide/webhook-validation)
 * describes the header as "the HMACSHA256 hash of the JSON-encoded string representation of
 * the POST body prefixed by `hmacsha256=`", which reads two ways: the header is `hmacsha256=`
 * plus the HMAC of the body, or the signed text is `hmacsha256=` plus the body. Both are
 * accepted, with or without the prefix in the header, and `sign` sends the first.
 * NOTE: no LinkedIn test vector was available to settle which reading LinkedIn sends.
 * LinkedIn signs no timestamp and sends no delivery id header.
 */
export const linkedinScheme: WebhookScheme = {
  name: 'linkedin',

  acceptedContentTypes: (declared) => [declared],

  verify({ request, secrets }) {
    const keys = usableSecrets(secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    const signature = decodeHex(header.startsWith(PREFIX) ? header.slice(PREFIX.length) : header);
    if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

    const matches =
      matchesAnySecret(keys, [signature], (secret) => computeHmac('sha256', secret, request.body)) ||
      matchesAnySecret(keys, [signature], (secret) => computeHmac('sha256', secret, PREFIX, request.body));
    if (!matches) return signatureMismatch(SIGNATURE_HEADER_NAME);

    return { ok: true };
  },

  sign({ secret, body, url }) {
    return { headers: { [SIGNATURE_HEADER]: PREFIX + computeHmac('sha256', secret, body).toString('hex') }, url };
  },
};
