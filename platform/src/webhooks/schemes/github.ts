import { signHubSignature256, verifyHubSignature256 } from './hub-signature.js';
import type { WebhookScheme } from './scheme-types.js';
import { readHeader } from './verify-input.js';

const DELIVERY_ID_HEADER = 'x-github-delivery';

/**
 * GitHub webhooks: `X-Hub-Signature-256` is `sha256=` and the hex HMAC-SHA256 of the raw body,
 * keyed with the webhook secret. `X-GitHub-Delivery` is the delivery's unique id, used for the
 * duplicate check. GitHub signs no timestamp.
 */
export const githubScheme: WebhookScheme = {
  name: 'github',

  acceptedContentTypes: (declared) => [declared],

  verify(input) {
    const result = verifyHubSignature256(input);
    if (!result.ok) return result;
    return { ok: true, deliveryId: readHeader(input.request, DELIVERY_ID_HEADER) };
  },

  sign: ({ secret, body, id, url }) => ({
    headers: { ...signHubSignature256(secret, body), [DELIVERY_ID_HEADER]: id },
    url,
  }),
};
