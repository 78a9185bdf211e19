export { createCredentialCipher } from './credential-cipher.js';
export type { CredentialCipher, CredentialCipherOptions, CredentialKey } from './credential-cipher.js';
export type { CredentialEnvelope } from './credential-envelope.js';
export { deriveKeyId } from './key-id.js';
export { loadMasterKey, MASTER_KEY_FILE_NAME } from './master-key.js';
export type { LoadMasterKeyOptions, MasterKey } from './master-key.js';
