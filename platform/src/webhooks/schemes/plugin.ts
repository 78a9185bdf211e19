import { LumioError } from '../../errors/index.js';
import type { WebhookScheme } from './scheme-types.js';

/**
 * Placeholder for the `plugin` scheme, whose check is the connector plugin's
 * `verifyWebhook` hook. The intake calls that hook itself, because a plugin call is
 * asynchronous; this object only declares the content types and refuses to sign.
 */
export const pluginScheme: WebhookScheme = {
  name: 'plugin',
  acceptedContentTypes: (declared) => [declared],
  verify: () => ({ ok: false, reason: 'signature_mismatch', message: 'The plugin scheme is verified by the connector plugin, which is not available.' }),
  sign() {
    throw new LumioError('WEBHOOK_TEST_UNSUPPORTED', "This connector's plugin verifies its webhooks, so the platform cannot sign a test delivery; send one from the provider instead.", { status: 422, fault: 'caller' });
  },
};
