import type { CredentialCipher, CredentialEnvelope } from '../security/index.js';
import { oauthStateScope } from '../security/index.js';

/** The secret part of a pending authorization, stored encrypted with its state row. */
export interface OAuthStateSecrets {
  clientId: string;
  clientSecret?: string;
  /** PKCE code verifier; absent when the manifest does not use PKCE. It never leaves the platform except to the token endpoint. */
  codeVerifier?: string;
  /** Webhook settings from the connect request, applied once the connection is saved. */
  webhook?: { secrets?: string[]; allowedIps?: string[]; verifyToken?: string | null };
}

export function encryptStateSecrets(cipher: CredentialCipher, stateId: string, secrets: OAuthStateSecrets): CredentialEnvelope {
  return cipher.encrypt(oauthStateScope(stateId), { ...secrets });
}

export function decryptStateSecrets(cipher: CredentialCipher, stateId: string, envelope: CredentialEnvelope): OAuthStateSecrets {
  return cipher.decrypt(oauthStateScope(stateId), envelope) as unknown as OAuthStateSecrets;
}
