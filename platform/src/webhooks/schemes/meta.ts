import { signHubSignature256, verifyHubSignature256 } from './hub-signature.js';
import type { WebhookScheme } from './scheme-types.js';

/**
 * Meta webhooks (Facebook, Instagram, WhatsApp Cloud API): `X-Hub-Signature-256` is
 * `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the app secret. Meta signs
 * no timestamp and sends no delivery id header.
 */
export const metaScheme: WebhookScheme = {
  name: 'meta',

  acceptedContentTypes: (declared) => [declared],

  verify: (input) => verifyHubSignature256(input),

  sign: ({ secret, body, url }) => ({ headers: signHubSignature256(secret, body), url }),
};
