import type { Handshake } from './handshake-types.js';

/**
 * Mailchimp's URL check: when a webhook is created, Mailchimp sends a GET to the URL and
 * expects a 2xx. Every GET gets 200 with an empty body, with or without the secret, because
 * the reply reveals only that the URL exists.
 */
export const mailchimpGet: Handshake = {
  type: 'mailchimpGet',

  answerGet: (request) => (request.method === 'GET' ? { status: 200, contentType: 'text/plain; charset=utf-8', body: '' } : null),

  answerPost: () => null,
};
