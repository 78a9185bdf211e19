import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import { LumioError } from '../errors/index.js';
import { classifyAddress } from '../http/index.js';

/** Maximum length of a subscription URL, in characters. */
export const MAX_URL_LENGTH = 2_048;

/** Resolves a host name to every address it has, as `dns.promises.lookup` with `all: true` does. */
export type ResolveHost = (hostname: string) => Promise<Array<{ address: string }>>;

export interface CheckSubscriptionUrlOptions {
  /** When true, private, loopback, link-local and metadata addresses are allowed (tests, simulators). */
  allowPrivateNetwork: boolean;
  /** Default: the system resolver. */
  resolve?: ResolveHost;
}

const resolveWithSystem: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function invalidUrl(code: string, message: string): LumioError {
  return new LumioError(code, message, { status: 400, fault: 'caller', details: { field: 'url' } });
}

function parseUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalidUrl('FIELD_REQUIRED', 'url is required: the https URL that receives the events.');
  }
  if (raw.length > MAX_URL_LENGTH || !URL.canParse(raw)) {
    throw invalidUrl('FIELD_INVALID', `url must be an absolute http or https URL of at most ${MAX_URL_LENGTH} characters.`);
  }

  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidUrl('FIELD_INVALID', `url must use https or http, not ${url.protocol.slice(0, -1)}.`);
  }
  // Credentials in the URL would be shown by every GET of the subscription; the signature authenticates Lumio instead.
  if (url.username !== '' || url.password !== '') {
    throw invalidUrl('FIELD_INVALID', 'url must not contain a user name or password; verify the webhook-signature header instead.');
  }
  if (url.hash !== '') {
    throw invalidUrl('FIELD_INVALID', 'url must not contain a #fragment, which is never sent to the server.');
  }
  return url;
}

async function resolveAddresses(host: string, resolve: ResolveHost): Promise<string[]> {
  if (isIP(host) !== 0) {
    return [host];
  }
  try {
    const addresses = await resolve(host);
    return addresses.map((entry) => entry.address);
  } catch (error) {
    throw hostUnresolved(host, error);
  }
}

function hostUnresolved(host: string, cause?: unknown): LumioError {
  return new LumioError('EVENT_SUBSCRIPTION_HOST_UNRESOLVED', `The host "${host}" of url could not be resolved; check the spelling, or wait until its DNS record exists.`, {
    status: 422,
    fault: 'caller',
    details: { field: 'url', host },
    cause,
  });
}

/**
 * Validates a subscription URL and returns it normalised. Unless `allowPrivateNetwork`
 * is set, the host must resolve only to public addresses. The dispatcher checks again at
 * every connection, because a DNS answer can change after this check.
 */
export async function checkSubscriptionUrl(raw: unknown, options: CheckSubscriptionUrlOptions): Promise<string> {
  const url = parseUrl(raw);
  if (options.allowPrivateNetwork) {
    return url.href;
  }

  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const addresses = await resolveAddresses(host, options.resolve ?? resolveWithSystem);
  if (addresses.length === 0) {
    throw hostUnresolved(host);
  }
  for (const address of addresses) {
    const range = classifyAddress(address);
    if (range !== undefined) {
      const resolved = address === host ? '' : ` resolves to ${address}, which`;
      throw new LumioError('DESTINATION_NOT_ALLOWED', `The host "${host}"${resolved} is a ${range} address that event subscriptions may not reach; use a public URL.`, {
        status: 422,
        fault: 'caller',
        details: { field: 'url', host, address, range },
      });
    }
  }
  return url.href;
}
