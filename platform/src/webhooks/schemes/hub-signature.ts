import { headerMalformed, headerMissing, secretMissing, signatureMismatch } from './failures.js';
import { computeHmac, decodeHex } from './hmac.js';
import type { VerificationResult, VerifyInput } from './scheme-types.js';
import { matchesAnySecret } from './secret-match.js';
import { readHeader, usableSecrets } from './verify-input.js';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const SIGNATURE_HEADER_NAME = 'X-Hub-Signature-256';
const PREFIX = 'sha256=';
const SHA256_BYTES = 32;

/**
 * Verifies `X-Hub-Signature-256: sha256=<hex>`, the hex HMAC-SHA256 of the raw body keyed
 * with the shared secret. GitHub and Meta (WhatsApp Cloud API included) both sign this way.
 */
export function verifyHubSignature256({ request, secrets }: VerifyInput): VerificationResult {
  const keys = usableSecrets(secrets);
  if (keys.length === 0) return secretMissing();

  const header = readHeader(request, SIGNATURE_HEADER);
  if (header === undefined) return headerMissing(SIGNATURE_HEADER_NAME);
  if (!header.startsWith(PREFIX)) return headerMalformed(SIGNATURE_HEADER_NAME);
  const signature = decodeHex(header.slice(PREFIX.length));
  if (signature === null || signature.length !== SHA256_BYTES) return headerMalformed(SIGNATURE_HEADER_NAME);

  const matches = matchesAnySecret(keys, [signature], (secret) => computeHmac('sha256', secret, request.body));
  if (!matches) return signatureMismatch(SIGNATURE_HEADER_NAME);

  return { ok: true };
}

/** Returns the `X-Hub-Signature-256` header for a body, as GitHub and Meta send it. */
export function signHubSignature256(secret: string, body: Buffer): Record<string, string> {
  return { [SIGNATURE_HEADER]: PREFIX + computeHmac('sha256', secret, body).toString('hex') };
}
