import type { WebhookHandshake } from '@lumio/plugin-sdk';
import type { Handshake } from './handshake-types.js';
import { linkedinChallenge } from './linkedin-challenge.js';
import { mailchimpGet } from './mailchimp-get.js';
import { metaChallenge } from './meta-challenge.js';
import { slackUrlVerification } from './slack-url-verification.js';

export type { Handshake, HandshakeReply, VerificationFailure } from './handshake-types.js';

const HANDSHAKES: Record<WebhookHandshake['type'], Handshake> = {
  metaChallenge,
  slackUrlVerification,
  linkedinChallenge,
  mailchimpGet,
};

/** Returns the handshake a manifest names. The manifest schema admits only these types. */
export function getHandshake(type: WebhookHandshake['type']): Handshake {
  return HANDSHAKES[type];
}
