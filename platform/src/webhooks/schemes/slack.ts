import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeHex } from './hmac.js';
import type { WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { checkSignedTime } from './signed-time.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-slack-signature';
const SIGNATURE_HEADER_NAME = 'X-Slack-Signature';
const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
const TIMESTAMP_HEADER_NAME = 'X-Slack-Request-Timestamp';
const VERSION = 'v0';
const SHA256_BYTES = 32;

/**
 * Slack request signing: `X-Slack-Signature: v0=<hex>` is the hex HMAC-SHA256, keyed with the
 * app's signing secret, of `v0:${timestamp}:${body}`, where the timestamp is
 * `X-Slack-Request-Timestamp` in epoch seconds. Slack sends no delivery id header.
 */
export const slackScheme: WebhookScheme = {
  name: 'slack',

  // The Events API posts JSON, while slash commands and interactivity post forms, and an app
  // may point all of them at one request URL.
  acceptedContentTypes: () => ['json', 'form'],

  verify(input) {
    const { request } = input;
    const keys = usableSecrets(input.secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    if (!header.startsWith(`${VERSION}=`)) return headerMalformed(SIGNATURE_HEADER_NAME);
    const signature = decodeHex(header.slice(VERSION.length + 1));
    if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

    const timestamp = readHeader(request, TIMESTAMP_HEADER);
    const time = checkSignedTime(timestamp, 'seconds', TIMESTAMP_HEADER_NAME, input);
    if ('failure' in time) return time.failure;

    const digest = (secret: string): Buffer => computeHmac('sha256', secret, `${VERSION}:${timestamp ?? ''}:`, request.body);
    if (!matchesAnySecret(keys, [signature], digest)) return signatureMismatch(SIGNATURE_HEADER_NAME);

    return { ok: true, signedAt: time.signedAt };
  },

  sign({ secret, body, now, url }) {
    const timestamp = String(Math.floor(now / 1000));
    const signature = computeHmac('sha256', secret, `${VERSION}:${timestamp}:`, body).toString('hex');
    return { headers: { [SIGNATURE_HEADER]: `${VERSION}=${signature}`, [TIMESTAMP_HEADER]: timestamp }, url };
  },
};
