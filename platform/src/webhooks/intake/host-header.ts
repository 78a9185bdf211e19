/** Maximum Host header values remembered as valid. Providers send the same few, so each is parsed once. */
const MAX_REMEMBERED_HOSTS = 32;

/**
 * Checks a request's Host header as @hono/node-server 1.19 does before it builds a
 * request. The WHATWG URL parser must accept `http://{host}`, and the host name it returns
 * must have the header's length (letter case may differ) or equal the header without its
 * port. The API's server responds to any other value with an empty 400, so the webhook
 * handler leaves such requests to it.
 */
export class HostHeaderCheck {
  readonly #accepted = new Set<string>();

  accepts(host: string | undefined): boolean {
    if (!host) return false;
    if (this.#accepted.has(host)) return true;
    if (!isUsableHost(host)) return false;

    if (this.#accepted.size >= MAX_REMEMBERED_HOSTS) this.#accepted.clear();
    this.#accepted.add(host);
    return true;
  }
}

function isUsableHost(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return false;
  }
  return hostname.length === host.length || hostname === host.replace(/:\d+$/, '');
}
