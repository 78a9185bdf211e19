/** A caller of the `/v1` API: an API key or a logged-in studio user. */
export interface Principal {
  /** Name in test output, such as `A key integrations.read` or `A user manager`. */
  label: string;
  kind: 'api_key' | 'user';
  /** The key's scopes or the permissions of the user's role, as the test granted them. */
  permissions: readonly string[];
  /** The actor the audit log records: `key:<id>` or `user:<id>`. */
  actor: string;
  /** Plaintext key, for `api_key`. */
  key?: string;
  /** Cookie value and CSRF token of the login, for `user`. */
  session?: { token: string; csrfToken: string };
}

/** A response as the test read it: the raw text, the parsed JSON body when there is one, and the headers. */
export interface ApiReply {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Sends one request as `principal` (or anonymously when null). A user's request carries the
 * session cookie, and its CSRF token on methods that change something, as the studio sends them.
 */
export async function send(baseUrl: string, principal: Principal | null, method: string, path: string, body?: unknown): Promise<ApiReply> {
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (principal?.key) headers.authorization = `Bearer ${principal.key}`;
  if (principal?.session) {
    headers.cookie = `lumio_session=${principal.session.token}`;
    if (!SAFE_METHODS.includes(method.toUpperCase())) headers['x-csrf-token'] = principal.session.csrfToken;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';

  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') parsed = /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
  return { status: response.status, text, body: parsed, headers: response.headers };
}

/** Sends a request and throws, with the response, unless the status is the expected one. */
export async function sendExpecting(baseUrl: string, principal: Principal, method: string, path: string, status: number, body?: unknown): Promise<any> {
  const reply = await send(baseUrl, principal, method, path, body);
  if (reply.status !== status) throw new Error(`${method} ${path} as ${principal.label} returned ${reply.status}, expected ${status}: ${reply.text.slice(0, 500)}`);
  return reply.body;
}

/** Polls `read` until `accept` returns true and returns the last value. Throws after `timeoutMs`. */
export async function pollUntil<T>(describe: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${describe} did not happen within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
