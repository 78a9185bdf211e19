import { LumioError } from '../../errors/index.js';
import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeBase64 } from './hmac.js';
import type { VerificationResult, WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { checkSignedTime } from './signed-time.js';
import { readHeader, usableSecrets } from './verify-input.js';

const ID_HEADER = 'webhook-id';
const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const SHA256_BYTES = 32;

/**
 * Standard Webhooks: `webhook-signature` contains space-separated `v1,<base64>` entries, each the
 * HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}` with the timestamp in epoch
 * seconds. Entries of other versions (such as `v1a,` for asymmetric signatures) are skipped.
 * The key is the secret's base64 after the `whsec_` prefix. A secret without the prefix is
 * decoded as base64 too, because some senders show the secret without it.
 */
export const standardWebhooksScheme: WebhookScheme = {
  name: 'standard-webhooks',

  acceptedContentTypes: (declared) => [declared],

  verify(input) {
    const { request } = input;
    const keys = usableSecrets(input.secrets);
    if (keys.length === 0) return secretMissing();

    const id = readHeader(request, ID_HEADER);
    if (id === undefined) return headerMissing(ID_HEADER);
    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER);
    const signatures = parseV1Signatures(header);
    if (signatures.length === 0) return headerMalformed(SIGNATURE_HEADER);

    const timestamp = readHeader(request, TIMESTAMP_HEADER);
    const time = checkSignedTime(timestamp, 'seconds', TIMESTAMP_HEADER, input);
    if ('failure' in time) return time.failure;

    if (!keys.some((secret) => decodeSecret(secret) !== null)) return secretNotBase64();
    const digest = (secret: string): Buffer | null => {
      const key = decodeSecret(secret);
      return key === null ? null : computeHmac('sha256', key, `${id}.${timestamp ?? ''}.`, request.body);
    };
    if (!matchesAnySecret(keys, signatures, digest)) return signatureMismatch(SIGNATURE_HEADER);

    return { ok: true, signedAt: time.signedAt, deliveryId: id };
  },

  sign({ secret, body, now, id, url }) {
    const key = decodeSecret(secret);
    if (key === null) {
      throw new LumioError('WEBHOOK_SECRET_INVALID', 'The Standard Webhooks secret is not base64. Set a secret of the form whsec_ followed by base64.', {
        status: 400,
        fault: 'caller',
      });
    }

    const timestamp = String(Math.floor(now / 1000));
    const signature = computeHmac('sha256', key, `${id}.${timestamp}.`, body).toString('base64');
    return { headers: { [ID_HEADER]: id, [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1,${signature}` }, url };
  },
};

/** Returns the decoded `v1` signatures of SHA-256 length and skips every other entry. */
function parseV1Signatures(header: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of header.split(' ')) {
    const separator = entry.indexOf(',');
    if (separator < 0 || entry.slice(0, separator) !== 'v1') continue;

    const signature = decodeBase64(entry.slice(separator + 1));
    if (signature !== null && signature.length === SHA256_BYTES) signatures.push(signature);
  }
  return signatures;
}

function decodeSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return decodeBase64(encoded);
}

function secretNotBase64(): VerificationResult {
  return {
    ok: false,
    reason: 'secret_missing',
    message: "None of the connection's webhook secrets is base64. Set a secret of the form whsec_ followed by base64.",
  };
}
