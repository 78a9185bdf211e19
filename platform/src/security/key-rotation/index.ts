// Master key rotation: a new active key, stored envelopes re-encrypted in place while the
// platform runs, and retirement of keys no row uses.
export { rotateMasterKey } from './rotate-master-key.js';
export type { RotateMasterKeyOptions, RotationReport } from './rotate-master-key.js';
export { retireMasterKey } from './retire-master-key.js';
export type { RetireMasterKeyOptions, RetireReport } from './retire-master-key.js';
export { reEncryptEnvelopes, DEFAULT_REENCRYPT_BATCH_SIZE } from './re-encrypt.js';
export type { ReEncryptFailure, ReEncryptOptions, ReEncryptResult } from './re-encrypt.js';
