import { LumioError } from '../../errors/index.js';
import { headerMalformed, headerMissing, secretMissing } from './failures.js';
import { decodeBase64 } from './hmac.js';
import type { WebhookScheme } from './scheme-types.js';
import { credentialEquals } from './secret-match.js';
import { readHeader, usableSecrets } from './verify-input.js';

const AUTHORIZATION_HEADER = 'authorization';
const AUTHORIZATION_HEADER_NAME = 'Authorization';
const BASIC_CREDENTIALS = /^Basic +(\S+) *$/i;
const COLON = 0x3a;

/**
 * HTTP Basic authentication (RFC 7617) on deliveries, for providers that send credentials
 * instead of signing the body. Each secret is `user:password`, and the decoded credentials
 * must equal one of them byte for byte.
 */
export const basicAuthScheme: WebhookScheme = {
  name: 'basic-auth',

  acceptedContentTypes: (declared) => [declared],

  verify({ request, secrets }) {
    const keys = usableSecrets(secrets);
    if (keys.length === 0) return secretMissing();

    const header = readHeader(request, AUTHORIZATION_HEADER);
    if (header === undefined) return headerMissing(AUTHORIZATION_HEADER_NAME);
    const encoded = BASIC_CREDENTIALS.exec(header)?.[1];
    const credentials = encoded === undefined ? null : decodeBase64(encoded);
    if (credentials === null || !credentials.includes(COLON)) return headerMalformed(AUTHORIZATION_HEADER_NAME);

    if (!keys.some((secret) => credentialEquals(credentials, secret))) {
      return {
        ok: false,
        reason: 'credentials_mismatch',
        message: "The Authorization header's credentials match none of the connection's webhook secrets.",
      };
    }
    return { ok: true };
  },

  sign({ secret, url }) {
    if (!secret.includes(':')) {
      throw new LumioError('WEBHOOK_SECRET_INVALID', 'The basic-auth webhook secret has no colon. Set it as user:password.', {
        status: 400,
        fault: 'caller',
      });
    }
    return { headers: { [AUTHORIZATION_HEADER]: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` }, url };
  },
};
