import { createHmac } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Computes an HMAC over the concatenated parts and returns the raw digest bytes. */
export function computeHmac(algorithm: HmacAlgorithm, key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const hmac = createHmac(algorithm, key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * Decodes a hex signature from a header. Returns null for text that is not whole bytes of
 * hex, so the caller reports a malformed header instead of comparing garbage.
 */
export function decodeHex(text: string): Buffer | null {
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) return null;
  return Buffer.from(text, 'hex');
}

/** Decodes standard or URL-safe base64 from a header, or returns null when it is not base64. */
export function decodeBase64(text: string): Buffer | null {
  if (text.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}
