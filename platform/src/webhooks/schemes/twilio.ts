import { createHash } from 'node:crypto';
import { decodeFormFields, detectContentType, type FormField } from '../payload/index.js';
import { headerMalformed, headerMissing, secretMissing, urlSignatureMismatch } from './failures.js';
import { computeHmac, decodeBase64, decodeHex } from './hmac.js';
import { safeEqual } from './safe-equal.js';
import type { VerificationResult, WebhookRequest, WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { appendQueryParameter, readQueryParameter, signedUrlCandidates } from './twilio-signed-url.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-twilio-signature';
const SIGNATURE_HEADER_NAME = 'X-Twilio-Signature';
const BODY_HASH_PARAMETER = 'bodySHA256';
const SHA1_BYTES = 20;
const SHA256_BYTES = 32;
const JSON_START = /^\s*[[{]/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Twilio webhooks: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the account's
 * auth token, of the full delivery URL followed by every form parameter sorted by name, each
 * as name then value with no separators. A JSON delivery's URL instead carries a `bodySHA256`
 * query parameter, the hex SHA-256 of the raw body. The signature then covers the URL alone,
 * and the body must hash to that parameter. Twilio signs no timestamp and sends no delivery
 * id, so replays are caught only by the duplicate check on the event's own id.
 *
 * NOTE: a repeated form parameter is signed with its distinct values sorted, as twilio-php's
 * validator does, so reordering the values of a repeated parameter keeps the signature valid
 * while the parsed body keeps the last value.
 */
export const twilioScheme: WebhookScheme = {
  name: 'twilio',

  acceptedContentTypes: () => ['form', 'json'],

  verify({ request, secrets }) {
    const keys = usableSecrets(secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, SIGNATURE_HEADER);
    if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
    const signature = decodeBase64(header);
    if (signature === null || signature.length !== SHA1_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

    const signedTail = readSignedTail(request);
    if (typeof signedTail !== 'string') return signedTail;

    const matches = signedUrlCandidates(request.url).some((url) =>
      matchesAnySecret(keys, [signature], (secret) => computeHmac('sha1', secret, url, signedTail)),
    );
    if (!matches) return urlSignatureMismatch(SIGNATURE_HEADER_NAME, request.url);

    return { ok: true };
  },

  sign({ secret, url, body }) {
    if (JSON_START.test(body.toString('utf8'))) {
      const signedUrl = appendQueryParameter(url, BODY_HASH_PARAMETER, createHash('sha256').update(body).digest('hex'));
      return { headers: { [SIGNATURE_HEADER]: computeHmac('sha1', secret, signedUrl).toString('base64') }, url: signedUrl };
    }

    const fields = decodeFormFields(body.toString('utf8')) ?? [];
    return { headers: { [SIGNATURE_HEADER]: computeHmac('sha1', secret, url, sortedParameters(fields)).toString('base64') }, url };
  },
};

/**
 * Returns the text Twilio signs after the URL (the sorted form parameters, or nothing for a
 * body-hash delivery), or the failure that stops verification first.
 */
function readSignedTail(request: WebhookRequest): string | VerificationResult {
  const bodyHashes = readQueryParameter(request.url, BODY_HASH_PARAMETER);
  if (bodyHashes === null) return rejected('signature_mismatch', 'The delivery URL cannot be parsed, so its Twilio signature cannot be checked.');

  if (bodyHashes.length > 0) return checkBodyHash(request.body, bodyHashes);

  if (detectContentType(request.headers['content-type']) === 'json') {
    return rejected('header_missing', `The URL of a JSON delivery has no ${BODY_HASH_PARAMETER} query parameter, which Twilio adds to JSON webhooks.`);
  }

  const fields = decodeForm(request.body);
  if (fields === null) return rejected('signature_mismatch', 'The form body is not valid percent-encoded UTF-8, so its Twilio signature cannot be checked.');
  return sortedParameters(fields);
}

function checkBodyHash(body: Buffer, bodyHashes: string[]): string | VerificationResult {
  const presented = bodyHashes.length === 1 ? decodeHex(bodyHashes[0] ?? '') : null;
  if (presented === null || presented.length !== SHA256_BYTES) {
    return rejected('header_malformed', `The ${BODY_HASH_PARAMETER} query parameter must appear once, as 64 hex digits.`);
  }

  const actual = createHash('sha256').update(body).digest();
  if (!safeEqual(presented, actual)) {
    return rejected('signature_mismatch', `The ${BODY_HASH_PARAMETER} query parameter does not match the SHA-256 of the body.`);
  }
  return '';
}

function decodeForm(body: Buffer): FormField[] | null {
  try {
    return decodeFormFields(utf8.decode(body));
  } catch {
    return null;
  }
}

/** Concatenates name and value of each parameter, names sorted, each name's distinct values sorted. */
function sortedParameters(fields: readonly FormField[]): string {
  const valuesByName = new Map<string, Set<string>>();
  for (const [name, value] of fields) {
    const values = valuesByName.get(name) ?? new Set<string>();
    values.add(value);
    valuesByName.set(name, values);
  }

  let signed = '';
  for (const name of [...valuesByName.keys()].sort()) {
    for (const value of [...(valuesByName.get(name) ?? [])].sort()) signed += name + value;
  }
  return signed;
}

function rejected(reason: 'header_missing' | 'header_malformed' | 'signature_mismatch', message: string): VerificationResult {
  return { ok: false, reason, message };
}
