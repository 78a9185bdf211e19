import { basicAuthScheme } from './basic-auth.js';
import type { WebhookScheme } from './scheme-types.js';

/**
 * Pipedrive webhooks carry no signature. A webhook created with `http_auth_user` and
 * `http_auth_password` is delivered with those as HTTP Basic credentials, checked exactly as
 * the basic-auth scheme does: each secret is `user:password`, and a mismatch fails with
 * reason `credentials_mismatch`.
 */
export const pipedriveScheme: WebhookScheme = {
  ...basicAuthScheme,
  name: 'pipedrive',
};
