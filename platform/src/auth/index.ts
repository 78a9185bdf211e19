export { applyAuth } from './apply-auth.js';
export type { AuthenticatedRequest } from './apply-auth.js';
export { selectAuthMethod } from './select-auth-method.js';
export { listCredentialFields, findMissingCredentialFields } from './credential-fields.js';
