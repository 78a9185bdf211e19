export { sendPluginRequest } from './http-capability.js';
export type { HttpCallScope } from './http-capability.js';
export { runStateCall, MAX_STATE_KEYS, MAX_STATE_KEY_LENGTH, MAX_STATE_VALUE_BYTES } from './state-capability.js';
export { runCryptoCall, MAX_DIGEST_INPUT } from './crypto-capability.js';
export type { KeyResolver } from './crypto-capability.js';
export { writePluginLog, MAX_LOG_FIELDS_BYTES, MAX_LOG_MESSAGE_LENGTH } from './log-capability.js';
export { invalidHostCall } from './host-call-error.js';
