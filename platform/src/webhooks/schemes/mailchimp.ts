import type { WebhookScheme } from './scheme-types.js';
import { urlSecretScheme } from './url-secret.js';

/**
 * Mailchimp webhooks carry no signature. The webhook URL registered with Mailchimp contains a
 * shared secret in its `secret` query parameter, checked exactly as the url-secret scheme
 * does. Mailchimp posts form-encoded bodies (`type=subscribe&data[email]=...`) only.
 */
export const mailchimpScheme: WebhookScheme = {
  ...urlSecretScheme,
  name: 'mailchimp',

  acceptedContentTypes: () => ['form'],
};
