import { createHash } from 'node:crypto';
import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { decodeHex } from './hmac.js';
import type { VerificationResult, WebhookRequest, WebhookScheme } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-hubspot-signature';
const SIGNATURE_HEADER_NAME = 'X-HubSpot-Signature';
const VERSION_HEADER = 'x-hubspot-signature-version';
const SHA256_BYTES = 32;

/** The parts of a delivery that follow the client secret in the hashed string. */
export type HubSpotSignedParts = (request: Pick<WebhookRequest, 'method' | 'url' | 'body'>) => Array<string | Buffer>;

/**
 * Builds one of HubSpot's older signature versions: `X-HubSpot-Signature` is the hex SHA-256
 * hash (a plain hash, not an HMAC) of the client secret followed by `signedParts`. When
 * `X-HubSpot-Signature-Version` is present it must name this version.
 */
export function createHubSpotHashScheme(
  name: 'hubspot-v1' | 'hubspot-v2',
  version: 'v1' | 'v2',
  signedParts: HubSpotSignedParts,
): WebhookScheme {
  const hashWithSecret = (secret: string, request: Pick<WebhookRequest, 'method' | 'url' | 'body'>): Buffer => {
    const hash = createHash('sha256').update(secret, 'utf8');
    for (const part of signedParts(request)) hash.update(part);
    return hash.digest();
  };

  return {
    name,

    acceptedContentTypes: (declared) => [declared],

    verify({ request, secrets }) {
      const keys = usableSecrets(secrets);
      if (keys.length === 0) return secretMissing();

      const versionFailure = checkVersion(readHeader(request, VERSION_HEADER), version);
      if (versionFailure !== null) return versionFailure;

      const header = readHeader(request, SIGNATURE_HEADER);
      if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
      const signature = decodeHex(header);
      if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

      if (!matchesAnySecret(keys, [signature], (secret) => hashWithSecret(secret, request))) {
        return signatureMismatch(SIGNATURE_HEADER_NAME);
      }
      return { ok: true };
    },

    sign({ secret, method, url, body }) {
      const signature = hashWithSecret(secret, { method, url, body }).toString('hex');
      return { headers: { [SIGNATURE_HEADER]: signature, [VERSION_HEADER]: version }, url };
    },
  };
}

function checkVersion(header: string | undefined, version: 'v1' | 'v2'): VerificationResult | null {
  if (header === undefined || header.toLowerCase() === version) return null;
  return {
    ok: false,
    reason: 'header_malformed',
    message: `The X-HubSpot-Signature-Version header does not name ${version}, the version the connector manifest declares.`,
  };
}
