import { LumioError } from '../errors/index.js';

/**
 * Normalizes an allowed-host entry: "api.example.com", "api.example.com:8443" or a full
 * URL (its host is used). Lower-cased, without a trailing dot.
 */
export function normalizeHost(entry: string): string {
  const host = entry.includes('://') ? new URL(entry).host : entry;
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Tells whether a URL's host is in the list. An entry with a port matches only that
 * port; an entry without one matches any port of that host name.
 */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((entry) => {
    const normalized = normalizeHost(entry);
    return normalized === host || normalized === hostname;
  });
}

/** Throws `HOST_NOT_ALLOWED` unless the URL's host is in `allowedHosts`. */
export function assertHostAllowed(url: URL, allowedHosts: readonly string[]): void {
  if (isHostAllowed(url, allowedHosts)) return;
  throw new LumioError(
    'HOST_NOT_ALLOWED',
    `The request to host "${url.host}" is not allowed because the connection only permits ${allowedHosts.map((entry) => `"${entry}"`).join(', ')}; add the host to connection.allowedHosts in the manifest if it is legitimate.`,
    { status: 502, fault: 'connector', details: { host: url.host, allowedHosts: [...allowedHosts] } },
  );
}
