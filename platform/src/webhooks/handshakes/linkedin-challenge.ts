import { createHmac } from 'node:crypto';
import { handshakeRejected, handshakeSecretMissing } from './handshake-failures.js';
import type { Handshake } from './handshake-types.js';
import { readQuery, usableSecrets } from './handshake-input.js';

/** LinkedIn sends a version 4 UUID, and any UUID-shaped code gets a reply. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * LinkedIn's endpoint validation: a GET with `challengeCode`. The reply is JSON with the code
 * and `challengeResponse`, the hex HMAC-SHA256 of the code keyed with the client secret
 * (learn.microsoft.com/en-us/linkedin/shared/api-guide/webhook-validation). LinkedIn repeats
 * the check periodically. The first secret signs the reply, because it is the current client
 * secret. Only UUID-shaped codes get a reply, because the reply is an HMAC with the key that
 * signs deliveries: replying to any text would hand a stranger a valid X-LI-Signature.
 */
export const linkedinChallenge: Handshake = {
  type: 'linkedinChallenge',

  answerGet(request, secrets) {
    const query = request.method === 'GET' ? readQuery(request.url) : null;
    const challengeCode = query?.get('challengeCode') ?? null;
    if (challengeCode === null) return null;

    const [secret] = usableSecrets(secrets);
    if (secret === undefined) return handshakeSecretMissing();
    if (!UUID.test(challengeCode)) return handshakeRejected('header_malformed', 'The challengeCode query parameter is not a UUID.');

    const challengeResponse = createHmac('sha256', secret).update(challengeCode, 'utf8').digest('hex');
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ challengeCode, challengeResponse }) };
  },

  answerPost: () => null,
};
