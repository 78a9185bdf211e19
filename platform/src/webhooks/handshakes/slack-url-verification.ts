import type { Handshake } from './handshake-types.js';

/**
 * Slack's Events API URL check: a signed POST whose JSON body is
 * `{ "type": "url_verification", "challenge": "..." }`. The reply is the challenge. It is read
 * only from a JSON body, so a form post (a slash command) can never trigger it.
 */
export const slackUrlVerification: Handshake = {
  type: 'slackUrlVerification',

  answerGet: () => null,

  answerPost(body, contentType) {
    if (contentType !== 'json' || typeof body !== 'object' || body === null || Array.isArray(body)) return null;

    const fields = body as Record<string, unknown>;
    const type = Object.hasOwn(fields, 'type') ? fields.type : undefined;
    const challenge = Object.hasOwn(fields, 'challenge') ? fields.challenge : undefined;
    if (type !== 'url_verification' || typeof challenge !== 'string') return null;
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge };
  },
};
