import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createOAuthTokenSimulator, type OAuthTokenSimulator, type OAuthTokenSimulatorOptions, type RunningOAuthTokenSimulator } from './index.js';

const REDIRECT_URI = 'http://127.0.0.1:9/v1/oauth/callback';
const CLIENT = { clientId: 'web-1', clientSecret: 'web-secret', redirectUris: [REDIRECT_URI] };
const PUBLIC_CLIENT = { clientId: 'spa-1', requirePkce: true };

let running: RunningOAuthTokenSimulator | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Partial<OAuthTokenSimulatorOptions> = {}): Promise<{ simulator: OAuthTokenSimulator; server: RunningOAuthTokenSimulator }> {
  const simulator = createOAuthTokenSimulator({ clients: [CLIENT, PUBLIC_CLIENT], ...options });
  running = await simulator.start();
  return { simulator, server: running };
}

/** Sends an authorization request and returns the status and the redirect target, without following it. */
async function authorize(server: RunningOAuthTokenSimulator, parameters: Record<string, string>): Promise<{ status: number; location: URL | null; body: any }> {
  const url = `${server.authorizeUrl}?${new URLSearchParams(parameters)}`;
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  const text = await response.text();
  return { status: response.status, location: location === null ? null : new URL(location), body: text ? JSON.parse(text) : null };
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

/** RFC 7636 S256, computed here independently of the simulator. */
function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function codeRequest(overrides: Record<string, string> = {}): Record<string, string> {
  return { response_type: 'code', client_id: CLIENT.clientId, redirect_uri: REDIRECT_URI, scope: 'contacts.read', state: 'state-123', ...overrides };
}

describe('OAuth authorization endpoint', () => {
  it('redirects with a code and the state', async () => {
    const { simulator, server } = await start();

    const { status, location } = await authorize(server, codeRequest());

    expect(status).toBe(302);
    expect(`${location!.origin}${location!.pathname}`).toBe(REDIRECT_URI);
    expect(location!.searchParams.get('state')).toBe('state-123');
    expect(location!.searchParams.get('code')).toMatch(/^code-/);
    expect(simulator.authorizationRequests[0]).toMatchObject({ outcome: 'code', query: { scope: 'contacts.read' } });
  });

  it('rejects an unknown client without redirecting', async () => {
    const { server } = await start();

    const { status, location, body } = await authorize(server, codeRequest({ client_id: 'nobody' }));

    expect(status).toBe(400);
    expect(location).toBeNull();
    expect(body.error).toBe('invalid_request');
  });

  it('rejects an unregistered redirect URI', async () => {
    const { server } = await start();

    const { status, location } = await authorize(server, codeRequest({ redirect_uri: 'http://127.0.0.1:9/elsewhere' }));

    expect(status).toBe(400);
    expect(location).toBeNull();
  });

  it('denies consent when told', async () => {
    const { simulator, server } = await start();
    simulator.denyNextAuthorizations(1);

    const denied = await authorize(server, codeRequest());
    const approved = await authorize(server, codeRequest());

    expect(denied.location!.searchParams.get('error')).toBe('access_denied');
    expect(denied.location!.searchParams.get('state')).toBe('state-123');
    expect(denied.location!.searchParams.has('code')).toBe(false);
    expect(approved.location!.searchParams.has('code')).toBe(true);
  });

  it.each([
    ['a plain PKCE method', { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
  ])('redirects an error for %s', async (_name, overrides, error) => {
    const { server } = await start();

    const { status, location } = await authorize(server, codeRequest(overrides));

    expect(status).toBe(302);
    expect(location!.searchParams.get('error')).toBe(error);
    expect(location!.searchParams.get('state')).toBe('state-123');
  });

  it('requires PKCE when the client does', async () => {
    const { server } = await start();

    const { location } = await authorize(server, codeRequest({ client_id: PUBLIC_CLIENT.clientId }));

    expect(location!.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('OAuth authorization code grant', () => {
  async function issueCode(server: RunningOAuthTokenSimulator, overrides: Record<string, string> = {}): Promise<string> {
    const { location } = await authorize(server, codeRequest(overrides));
    const code = location?.searchParams.get('code');
    if (!code) throw new Error(`no code issued: ${location?.toString()}`);
    return code;
  }

  function exchange(server: RunningOAuthTokenSimulator, code: string, overrides: Record<string, string> = {}): Promise<Response> {
    return postForm(server.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, ...overrides });
  }

  it('exchanges a code for tokens', async () => {
    const { simulator, server } = await start({ extraTokenFields: { instance_url: 'http://127.0.0.1:9/instance' } });
    const code = await issueCode(server);

    const response = await exchange(server, code);
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(body.instance_url).toBe('http://127.0.0.1:9/instance');
    expect(simulator.isAccessTokenValid(body.access_token as string)).toBe(true);
    expect(simulator.authorizationCodeCount).toBe(1);
  });

  it('rejects a reused code', async () => {
    const { server } = await start();
    const code = await issueCode(server);

    const first = await exchange(server, code);
    const second = await exchange(server, code);

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects another redirect URI', async () => {
    const { server } = await start();
    const code = await issueCode(server);

    const response = await exchange(server, code, { redirect_uri: 'http://127.0.0.1:9/other' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('checks the PKCE verifier', async () => {
    const { server } = await start();
    const verifier = randomBytes(32).toString('base64url');
    const wrongCode = await issueCode(server, { code_challenge: challengeOf(verifier), code_challenge_method: 'S256' });
    const rightCode = await issueCode(server, { code_challenge: challengeOf(verifier), code_challenge_method: 'S256' });
    const missingCode = await issueCode(server, { code_challenge: challengeOf(verifier), code_challenge_method: 'S256' });

    const wrong = await exchange(server, wrongCode, { code_verifier: randomBytes(32).toString('base64url') });
    const right = await exchange(server, rightCode, { code_verifier: verifier });
    const missing = await exchange(server, missingCode);

    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect(right.status).toBe(200);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a public client use PKCE', async () => {
    const { server } = await start();
    const verifier = randomBytes(32).toString('base64url');
    const code = await issueCode(server, { client_id: PUBLIC_CLIENT.clientId, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' });

    const response = await postForm(server.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: PUBLIC_CLIENT.clientId, code_verifier: verifier });

    expect(response.status).toBe(200);
  });

  it('expires codes after a minute', async () => {
    let now = Date.now();
    const { server } = await start({ clock: () => now });
    const code = await issueCode(server);

    now += 60_001;
    const response = await exchange(server, code);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
