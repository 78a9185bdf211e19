import { afterEach, describe, expect, it } from 'vitest';
import { createOAuthTokenSimulator, type OAuthTokenSimulator, type OAuthTokenSimulatorOptions, type RunningOAuthTokenSimulator } from './index.js';

const CLIENT = { clientId: 'client-1', clientSecret: 'secret with spaces&symbols' };
const MACHINE = { clientId: 'machine-1', clientSecret: 'machine-secret', scopes: ['reports.read', 'reports.write'] };
const PUBLIC_CLIENT = { clientId: 'public-1' };

let running: RunningOAuthTokenSimulator | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Partial<OAuthTokenSimulatorOptions> = {}): Promise<{ simulator: OAuthTokenSimulator; tokenUrl: string; url: string }> {
  const simulator = createOAuthTokenSimulator({ clients: [CLIENT, MACHINE, PUBLIC_CLIENT], ...options });
  running = await simulator.start();
  return { simulator, tokenUrl: running.tokenUrl, url: running.url };
}

function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}

/** Encodes Basic credentials as RFC 6749 section 2.3.1 requires: form-encode each part, then base64. */
function basicHeader(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

describe('OAuth token simulator', () => {
  it('refreshes with body credentials', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId, ['contacts']);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(1800);
    expect(body.refresh_token).toBe(issued.refreshToken);
    expect(body.access_token).not.toBe(issued.accessToken);
    expect(body.access_token).toBe(simulator.lastAccessToken);
    expect(simulator.refreshCount).toBe(1);
    expect(simulator.tokenRequests[0]).toMatchObject({ grantType: 'refresh_token', clientAuthentication: 'body', clientId: CLIENT.clientId, status: 200 });
  });

  it('rotates refresh tokens when asked', async () => {
    const { simulator, tokenUrl } = await start({ rotateRefreshTokens: true });
    const issued = simulator.authorize(CLIENT.clientId);
    const fields = { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };

    const first = (await (await postForm(tokenUrl, fields)).json()) as Record<string, unknown>;
    const second = await postForm(tokenUrl, fields);

    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.refresh_token).not.toBe(issued.refreshToken);
    expect(simulator.isRefreshTokenValid(first.refresh_token as string)).toBe(true);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
    expect(simulator.refreshCount).toBe(2);
  });

  it('accepts HTTP Basic client credentials', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken! }, { authorization: basicHeader(CLIENT.clientId, CLIENT.clientSecret) });

    expect(response.status).toBe(200);
    expect(simulator.tokenRequests[0]?.clientAuthentication).toBe('basic');
  });

  it('answers a wrong Basic secret with 401', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken! }, { authorization: basicHeader(CLIENT.clientId, 'wrong') });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="oauth"');
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers a wrong body secret with 400', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: 'wrong' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('rejects authenticating twice', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId);

    const response = await postForm(
      tokenUrl,
      { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_secret: CLIENT.clientSecret },
      { authorization: basicHeader(CLIENT.clientId, CLIENT.clientSecret) },
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects another client refresh token', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(MACHINE.clientId);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets public clients refresh', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(PUBLIC_CLIENT.clientId);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: PUBLIC_CLIENT.clientId });

    expect(response.status).toBe(200);
  });

  it('issues client credentials tokens', async () => {
    const { simulator, tokenUrl } = await start();

    const response = await postForm(tokenUrl, { grant_type: 'client_credentials', scope: 'reports.read', client_id: MACHINE.clientId, client_secret: MACHINE.clientSecret });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(simulator.isAccessTokenValid(body.access_token as string)).toBe(true);
    expect(simulator.clientCredentialsCount).toBe(1);
    expect(simulator.refreshCount).toBe(0);
  });

  it('rejects a scope beyond the client', async () => {
    const { tokenUrl } = await start();

    const response = await postForm(tokenUrl, { grant_type: 'client_credentials', scope: 'reports.read admin', client_id: MACHINE.clientId, client_secret: MACHINE.clientSecret });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it.each([
    ['a missing grant type', { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, 'invalid_request'],
    ['an unknown grant type', { grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, 'unsupported_grant_type'],
    ['a missing refresh token', { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, 'invalid_request'],
    ['no client credentials', { grant_type: 'client_credentials' }, 'invalid_client'],
  ])('rejects %s', async (_name, fields, error) => {
    const { tokenUrl } = await start();

    const response = await postForm(tokenUrl, fields);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error });
  });

  it('rejects a JSON body', async () => {
    const { tokenUrl } = await start();

    const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rejects a repeated parameter', async () => {
    const { tokenUrl } = await start();

    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&scope=a&scope=b&client_id=${MACHINE.clientId}&client_secret=${MACHINE.clientSecret}`,
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('forces the next failures', async () => {
    const { simulator, tokenUrl } = await start();
    const issued = simulator.authorize(CLIENT.clientId);
    const fields = { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    simulator.failNextTokenRequests(1, 'temporarily_unavailable');
    simulator.failNextTokenRequests(1, { status: 502, body: { message: 'bad gateway' } });

    const first = await postForm(tokenUrl, fields);
    const second = await postForm(tokenUrl, fields);
    const third = await postForm(tokenUrl, fields);

    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(second.status).toBe(502);
    expect(third.status).toBe(200);
    expect(simulator.refreshCount).toBe(3);
  });

  it('sends HubSpot refresh token errors', async () => {
    const { simulator, tokenUrl } = await start({ errorStyle: 'hubspot' });
    const issued = simulator.authorize(CLIENT.clientId);
    simulator.revokeRefreshToken(issued.refreshToken!);

    const response = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(400);
    expect(body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' });
    expect(body.correlationId).toEqual(expect.any(String));
    expect(body.error).toBeUndefined();
  });

  it('leaves out expires_in when asked', async () => {
    const { simulator, tokenUrl } = await start({ omitExpiresIn: true });
    const issued = simulator.authorize(CLIENT.clientId);

    const body = (await (await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refreshToken!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })).json()) as Record<string, unknown>;

    expect(body.access_token).toEqual(expect.any(String));
    expect('expires_in' in body).toBe(false);
  });

  it('delays token responses', async () => {
    const { tokenUrl } = await start({ delayMs: 120 });
    const started = performance.now();

    await postForm(tokenUrl, { grant_type: 'client_credentials', client_id: MACHINE.clientId, client_secret: MACHINE.clientSecret });

    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('guards the resource with bearer tokens', async () => {
    const { simulator, url } = await start();
    const issued = simulator.authorize(CLIENT.clientId, ['contacts']);

    const accepted = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${issued.accessToken}` } });
    simulator.expireAccessToken(issued.accessToken);
    const expired = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${issued.accessToken}` } });

    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ clientId: CLIENT.clientId, scope: 'contacts' });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('expires access tokens by the clock', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const { simulator } = await start({ clock: () => now, accessTokenLifetimeSeconds: 60 });
    const issued = simulator.authorize(CLIENT.clientId);

    now += 59_000;
    const beforeExpiry = simulator.isAccessTokenValid(issued.accessToken);
    now += 1_000;

    expect(beforeExpiry).toBe(true);
    expect(simulator.isAccessTokenValid(issued.accessToken)).toBe(false);
  });
});
