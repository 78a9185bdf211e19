import { headerMalformed, headerMissing, secretMissing, urlSignatureMismatch } from './failures.js';
import { computeHmac, decodeBase64 } from './hmac.js';
import { decodeHubSpotUri } from './hubspot-uri.js';
import type { WebhookRequest, WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { checkSignedTime } from './signed-time.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
const SIGNATURE_HEADER_NAME = 'X-HubSpot-Signature-v3';
const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
const TIMESTAMP_HEADER_NAME = 'X-HubSpot-Request-Timestamp';
const SHA256_BYTES = 32;

/**
 * HubSpot signature v3: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256, keyed with the
 * client secret, of method + URI + raw body + `X-HubSpot-Request-Timestamp` (epoch
 * milliseconds, as sent). The URI is the delivery URL with HubSpot's listed escapes decoded.
 * Deliveries older than the manifest's tolerance (default 300 seconds, HubSpot's 5 minutes)
 * are rejected, and so are deliveries that far in the future.
 */
export const hubspotV3Scheme: WebhookScheme = {
  name: 'hubspot-v3',

  acceptedContentTypes: (declared) => [declared],

  verify(input) {
    const { request } = input;
    const keys = usableSecrets(input.secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    const signature = decodeBase64(header);
    if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

    const timestamp = readHeader(request, TIMESTAMP_HEADER);
    const time = checkSignedTime(timestamp, 'milliseconds', TIMESTAMP_HEADER_NAME, input);
    if ('failure' in time) return time.failure;

    const matches = matchesAnySecret(keys, [signature], (secret) => signV3(secret, request, timestamp ?? ''));
    if (!matches) return urlSignatureMismatch(SIGNATURE_HEADER_NAME, request.url);

    return { ok: true, signedAt: time.signedAt };
  },

  sign({ secret, method, url, body, now }) {
    const timestamp = String(Math.trunc(now));
    const signature = signV3(secret, { method, url, body }, timestamp).toString('base64');
    return { headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp }, url };
  },
};

function signV3(secret: string, request: Pick<WebhookRequest, 'method' | 'url' | 'body'>, timestamp: string): Buffer {
  return computeHmac('sha256', secret, request.method, decodeHubSpotUri(request.url), request.body, timestamp);
}
