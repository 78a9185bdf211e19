import { handshakeRejected, handshakeSecretMissing } from './handshake-failures.js';
import type { Handshake } from './handshake-types.js';
import { matchesAnyToken, readQuery, usableSecrets } from './handshake-input.js';

/**
 * Meta's subscription check (Facebook, Instagram, WhatsApp Cloud API): a GET with
 * `hub.mode=subscribe`, `hub.verify_token` (the token configured in the app dashboard, stored
 * as a webhook secret) and `hub.challenge`. The reply is the challenge exactly as sent.
 */
export const metaChallenge: Handshake = {
  type: 'metaChallenge',

  answerGet(request, secrets) {
    const query = request.method === 'GET' ? readQuery(request.url) : null;
    if (query?.get('hub.mode') !== 'subscribe') return null;

    const tokens = usableSecrets(secrets);
    if (tokens.length === 0) return handshakeSecretMissing();

    const presented = query.get('hub.verify_token');
    if (presented === null) return handshakeRejected('header_missing', 'The hub.verify_token query parameter is missing.');
    if (!matchesAnyToken(presented, tokens)) {
      return handshakeRejected('credentials_mismatch', "The hub.verify_token query parameter matches none of the connection's webhook secrets.");
    }

    const challenge = query.get('hub.challenge');
    if (challenge === null) return handshakeRejected('header_missing', 'The hub.challenge query parameter is missing.');
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge };
  },

  answerPost: () => null,
};
