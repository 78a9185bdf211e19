/**
 * Credentials encrypted with AES-256-GCM. Binary fields are base64, so the envelope is
 * stored as text and sent as JSON.
 */
export interface CredentialEnvelope {
  /** Id of the master key that encrypted it (a short hash of the key, not the key). */
  keyId: string;
  /** 12-byte GCM nonce, base64. */
  nonce: string;
  ciphertext: string;
  /** 16-byte GCM authentication tag, base64. */
  authTag: string;
}
