import type { HmacSignature, WebhookSignature } from '@lumio/plugin-sdk';
import { LumioError } from '../../errors/index.js';
import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeBase64, decodeHex } from './hmac.js';
import type { HmacAlgorithm } from './hmac.js';
import type { VerificationResult, WebhookRequest, WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { parseSignedContent, renderSignedContent, templateUses } from './signed-content-template.js';
import type { TemplatePart } from './signed-content-template.js';
import { checkSignedTime } from './signed-time.js';
import { readHeader, usableSecrets } from './verify-input.js';

const DIGEST_BYTES: Readonly<Record<HmacAlgorithm, number>> = { sha1: 20, sha256: 32, sha512: 64 };

/**
 * A provider-neutral HMAC declared in the manifest. The header carries one signature, written
 * as `prefix` followed by the digest in hex or base64. The digest covers the `signedContent`
 * template and is keyed with the secret's UTF-8 bytes. A timestamp is checked only when
 * `timestampHeader` is set.
 */
export const genericHmacScheme: WebhookScheme = {
  name: 'hmac',

  acceptedContentTypes: (declared) => [declared],

  verify(input) {
    const { request } = input;
    const settings = asHmacSettings(input.signature);
    if (settings === null) return unusableSettings('the signature settings belong to another scheme');
    const template = prepareTemplate(settings);
    if ('problem' in template) return unusableSettings(template.problem);

    const keys = usableSecrets(input.secrets);
    if (keys.length === 0) return secretMissing();

    const signature = readSignature(request, settings);
    if ('failure' in signature) return signature.failure;

    let timestamp: string | undefined;
    let signedAt: number | undefined;
    if (settings.timestampHeader !== undefined) {
      timestamp = readHeader(request, settings.timestampHeader.toLowerCase());
      const time = checkSignedTime(timestamp, settings.timestampUnit ?? 'seconds', settings.timestampHeader, input);
      if ('failure' in time) return time.failure;
      signedAt = time.signedAt;
    }

    const id = settings.idHeader === undefined ? undefined : readHeader(request, settings.idHeader.toLowerCase());
    if (id === undefined && settings.idHeader !== undefined && templateUses(template.parts, 'id')) {
      return headerMissing(settings.idHeader);
    }

    const content = renderSignedContent(template.parts, { method: request.method, url: request.url, timestamp, id, body: request.body });
    const digest = (secret: string): Buffer => computeHmac(settings.algorithm, secret, content);
    if (!matchesAnySecret(keys, [signature.bytes], digest)) return signatureMismatch(settings.header);

    return { ok: true, signedAt, deliveryId: id };
  },

  sign({ secret, method, url, body, now, id, signature: manifestSignature }) {
    const settings = asHmacSettings(manifestSignature);
    if (settings === null) throw settingsError('the signature settings belong to another scheme');
    const template = prepareTemplate(settings);
    if ('problem' in template) throw settingsError(template.problem);

    const headers: Record<string, string> = {};
    let timestamp: string | undefined;
    if (settings.timestampHeader !== undefined) {
      timestamp = String(settings.timestampUnit === 'milliseconds' ? Math.trunc(now) : Math.floor(now / 1000));
      headers[settings.timestampHeader.toLowerCase()] = timestamp;
    }
    if (settings.idHeader !== undefined) headers[settings.idHeader.toLowerCase()] = id;

    const content = renderSignedContent(template.parts, { method, url, timestamp, id, body });
    const digest = computeHmac(settings.algorithm, secret, content);
    headers[settings.header.toLowerCase()] = (settings.prefix ?? '') + digest.toString(settings.encoding);
    return { headers, url };
  },
};

function asHmacSettings(signature: WebhookSignature): HmacSignature | null {
  return signature.scheme === 'hmac' ? signature : null;
}

/** Parses the template and checks that every value it uses has a header to come from. */
function prepareTemplate(settings: HmacSignature): { parts: TemplatePart[] } | { problem: string } {
  const parsed = parseSignedContent(settings.signedContent);
  if ('unknownName' in parsed) {
    return { problem: `the signedContent template uses {{ ${parsed.unknownName} }}, which is not one of method, url, timestamp, id or body` };
  }
  if (templateUses(parsed.parts, 'timestamp') && settings.timestampHeader === undefined) {
    return { problem: 'the signedContent template uses {{ timestamp }} but no timestampHeader is set' };
  }
  if (templateUses(parsed.parts, 'id') && settings.idHeader === undefined) {
    return { problem: 'the signedContent template uses {{ id }} but no idHeader is set' };
  }
  return parsed;
}

function readSignature(request: WebhookRequest, settings: HmacSignature): { bytes: Buffer } | { failure: VerificationResult } {
  const header = readHeader(request, settings.header.toLowerCase());
  if (header === undefined) return { failure: headerMissing(settings.header) };

  const prefix = settings.prefix ?? '';
  if (!header.startsWith(prefix)) return { failure: headerMalformed(settings.header) };

  const encoded = header.slice(prefix.length);
  const bytes = settings.encoding === 'hex' ? decodeHex(encoded) : decodeBase64(encoded);
  if (bytes === null || bytes.length !== DIGEST_BYTES[settings.algorithm]) return { failure: headerMalformed(settings.header) };
  return { bytes };
}

/** Fails every delivery, because settings that cannot produce a signature verify nothing. */
function unusableSettings(problem: string): VerificationResult {
  return {
    ok: false,
    reason: 'signature_mismatch',
    message: `No delivery can verify because ${problem}. Fix the webhook signature settings in the connector manifest.`,
  };
}

function settingsError(problem: string): LumioError {
  return new LumioError('WEBHOOK_SIGNATURE_SETTINGS_INVALID', `The delivery cannot be signed because ${problem}. Fix the webhook signature settings in the connector manifest.`, {
    status: 500,
    fault: 'connector',
  });
}
