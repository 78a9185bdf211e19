import { createHash } from 'node:crypto';

/** Length in hex characters (64 bits) of a key id. */
const KEY_ID_LENGTH = 16;

/**
 * Derives the id stored with each envelope: the first 16 hex characters of the key's
 * SHA-256. A hash of a 256-bit random key reveals nothing useful about the key, and the
 * id changes whenever the key does, so a wrong key is reported before decryption.
 */
export function deriveKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, KEY_ID_LENGTH);
}
