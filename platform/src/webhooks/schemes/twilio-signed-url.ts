/**
 * URL spellings Twilio may have signed for a delivery URL: the URL as received, and the
 * same URL with the scheme's default port added or removed. Twilio's helper libraries try
 * both, because some Twilio products sign `https://host:443/...` while the request line
 * shows no port. Any other port is left as it is.
 */
export function signedUrlCandidates(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (match === null) return [url];

  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const port = /:(\d*)$/.exec(authority);
  if (port === null) return [url, `${scheme}://${authority}:${defaultPort}${rest}`];
  if (port[1] !== defaultPort) return [url];
  return [url, `${scheme}://${authority.slice(0, port.index)}${rest}`];
}

/** Appends `name=value` to the query string, before any fragment, leaving the rest of the URL as written. */
export function appendQueryParameter(url: string, name: string, value: string): string {
  const hashIndex = url.indexOf('#');
  const beforeFragment = hashIndex < 0 ? url : url.slice(0, hashIndex);
  const fragment = hashIndex < 0 ? '' : url.slice(hashIndex);

  let separator = '&';
  if (!beforeFragment.includes('?')) separator = '?';
  else if (beforeFragment.endsWith('?') || beforeFragment.endsWith('&')) separator = '';

  return `${beforeFragment}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}${fragment}`;
}

/** Returns every value of a query parameter, or null for a URL that does not parse. */
export function readQueryParameter(url: string, name: string): string[] | null {
  try {
    return new URL(url).searchParams.getAll(name);
  } catch {
    return null;
  }
}
