import type { WebhookSignature } from '@lumio/plugin-sdk';

import { basicAuthScheme } from './basic-auth.js';
import { genericHmacScheme } from './generic-hmac.js';
import { githubScheme } from './github.js';
import { hubspotV1Scheme } from './hubspot-v1.js';
import { hubspotV2Scheme } from './hubspot-v2.js';
import { hubspotV3Scheme } from './hubspot-v3.js';
import { linkedinScheme } from './linkedin.js';
import { mailchimpScheme } from './mailchimp.js';
import { metaScheme } from './meta.js';
import { pipedriveScheme } from './pipedrive.js';
import { pluginScheme } from './plugin.js';
import { salesforceOutboundScheme } from './salesforce-outbound.js';
import type { WebhookScheme } from './scheme-types.js';
import { shopifyScheme } from './shopify.js';
import { slackScheme } from './slack.js';
import { standardWebhooksScheme } from './standard-webhooks.js';
import { stripeScheme } from './stripe.js';
import { twilioScheme } from './twilio.js';
import { urlSecretScheme } from './url-secret.js';

export type { SignedDelivery, SignInput, VerificationFailureReason, VerificationResult, VerifyInput, WebhookContentType, WebhookRequest, WebhookScheme } from './scheme-types.js';

const SCHEMES: Record<WebhookSignature['scheme'], WebhookScheme> = {
  shopify: shopifyScheme,
  'hubspot-v1': hubspotV1Scheme,
  'hubspot-v2': hubspotV2Scheme,
  'hubspot-v3': hubspotV3Scheme,
  stripe: stripeScheme,
  meta: metaScheme,
  slack: slackScheme,
  'standard-webhooks': standardWebhooksScheme,
  github: githubScheme,
  twilio: twilioScheme,
  linkedin: linkedinScheme,
  mailchimp: mailchimpScheme,
  pipedrive: pipedriveScheme,
  'salesforce-outbound': salesforceOutboundScheme,
  'basic-auth': basicAuthScheme,
  'url-secret': urlSecretScheme,
  hmac: genericHmacScheme,
  plugin: pluginScheme,
};

/** Returns the scheme a manifest names. The manifest schema admits only these names. */
export function getScheme(name: WebhookSignature['scheme']): WebhookScheme {
  return SCHEMES[name];
}

export { safeEqual, safeEqualText } from './safe-equal.js';
