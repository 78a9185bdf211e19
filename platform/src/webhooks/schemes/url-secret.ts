import type { VerificationResult, WebhookScheme } from './scheme-types.js';
import { credentialEquals } from './secret-match.js';
import { secretMissing } from './failures.js';
import { usableSecrets } from './verify-input.js';

const PARAMETER = 'secret';

/**
 * A shared secret in the delivery URL's `secret` query parameter, for providers that can
 * neither sign nor send headers. The URL must carry the parameter exactly once. The secret
 * travels in the URL and can end up in proxy and provider logs, so a signing scheme is the
 * better choice whenever the provider offers one.
 */
export const urlSecretScheme: WebhookScheme = {
  name: 'url-secret',

  acceptedContentTypes: (declared) => [declared],

  verify({ request, secrets }) {
    const keys = usableSecrets(secrets);
    if (keys.length === 0) return secretMissing();

    const values = readSecretParameters(request.url);
    if (values === null) return urlRejected('The delivery URL cannot be parsed.');
    if (values.length === 0) return urlRejected('The delivery URL has no secret query parameter.');
    if (values.length > 1) return urlRejected('The delivery URL has more than one secret query parameter.');

    const presented = Buffer.from(values[0] ?? '', 'utf8');
    if (!keys.some((secret) => credentialEquals(presented, secret))) {
      return urlRejected("The delivery URL's secret query parameter matches none of the connection's webhook secrets.");
    }
    return { ok: true };
  },

  sign({ secret, url }) {
    return { headers: {}, url: appendSecret(url, secret) };
  },
};

/** Returns the decoded values of every `secret` query parameter, or null for a URL that does not parse. */
function readSecretParameters(url: string): string[] | null {
  try {
    return new URL(url).searchParams.getAll(PARAMETER);
  } catch {
    return null;
  }
}

/** Appends `secret=<value>` to the query string, leaving the rest of the URL as written. */
function appendSecret(url: string, secret: string): string {
  const hashIndex = url.indexOf('#');
  const beforeFragment = hashIndex < 0 ? url : url.slice(0, hashIndex);
  const fragment = hashIndex < 0 ? '' : url.slice(hashIndex);

  let separator = '&';
  if (!beforeFragment.includes('?')) separator = '?';
  else if (beforeFragment.endsWith('?') || beforeFragment.endsWith('&')) separator = '';

  return `${beforeFragment}${separator}${PARAMETER}=${encodeURIComponent(secret)}${fragment}`;
}

function urlRejected(message: string): VerificationResult {
  return { ok: false, reason: 'credentials_mismatch', message };
}
