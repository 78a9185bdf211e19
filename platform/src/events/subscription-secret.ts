import { LumioError } from '../errors/index.js';
import type { CredentialCipher, CredentialEnvelope } from '../security/index.js';
import { decodeSigningSecret } from './signing.js';

/**
 * Associated data of a subscription's secret envelope. The suffix keeps it apart from
 * connection ids, so no envelope decrypts in the other place.
 */
function secretScope(subscriptionId: string): string {
  return `${subscriptionId}#events`;
}

export function encryptSubscriptionSecret(cipher: CredentialCipher, subscriptionId: string, secret: string): CredentialEnvelope {
  return cipher.encrypt(secretScope(subscriptionId), { secret });
}

/** Decrypts a subscription's secret and returns its HMAC key. Raises CREDENTIALS_DECRYPT_FAILED or EVENT_SECRET_INVALID (500). */
export function decryptSubscriptionKey(cipher: CredentialCipher, subscriptionId: string, envelope: CredentialEnvelope): Buffer {
  const { secret } = cipher.decrypt(secretScope(subscriptionId), envelope);
  try {
    return decodeSigningSecret(secret);
  } catch (error) {
    throw new LumioError('EVENT_SECRET_INVALID', `The stored secret of event subscription ${subscriptionId} is not a valid whsec_ secret; delete the subscription and create it again.`, {
      status: 500,
      fault: 'platform',
      cause: error,
    });
  }
}
