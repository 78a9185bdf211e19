import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody, RequestLog, sendEmpty, sendJson } from '../shared/index.js';
import { AuthorizationCodes } from './authorization-codes.js';
import { authenticateClient, type ClientAuthenticationUsed } from './client-authentication.js';
import { AUTHORIZE_PATH, handleAuthorize, type AuthorizationRequestRecord } from './authorize-endpoint.js';
import { buildTokenError, type ErrorStyle, type OAuthErrorCode, type TokenErrorResponse } from './token-errors.js';
import { TokenGrants, type IssuedTokens, type OAuthClient } from './token-grants.js';

/** Path of the token endpoint. */
export const TOKEN_PATH = '/oauth/token';
/** Path of a small protected resource that accepts the issued access tokens. */
export const RESOURCE_PATH = '/api/me';
/** Path of a protected list of contacts, for syncs that read through the issued tokens. */
export const CONTACTS_PATH = '/api/contacts';

/** The records `GET /api/contacts` returns to a valid access token. */
export const SIMULATED_CONTACTS = [
  { id: '1', email: 'ana@example.com', firstName: 'Ana', updatedAt: '2024-05-01T12:00:00.000Z' },
  { id: '2', email: 'bruno@example.com', firstName: 'Bruno', updatedAt: '2024-05-02T12:00:00.000Z' },
  { id: '3', email: 'carla@example.com', firstName: 'Carla', updatedAt: '2024-05-03T12:00:00.000Z' },
];

/** Token request bodies larger than this are rejected, in bytes. */
const MAX_TOKEN_BODY_BYTES = 64 * 1024;

export interface OAuthTokenSimulatorOptions {
  clients: readonly OAuthClient[];
  /** Lifetime of issued access tokens, sent as `expires_in`, in seconds. Default 1800 (HubSpot's 30 minutes). */
  accessTokenLifetimeSeconds?: number;
  /** Leave `expires_in` out of token responses. Default false. */
  omitExpiresIn?: boolean;
  /**
   * Issue a new refresh token on every refresh and invalidate the old one. Default false:
   * the response repeats the same refresh token, as HubSpot's does.
   */
  rotateRefreshTokens?: boolean;
  /** Shape of error bodies. Default "rfc6749". */
  errorStyle?: ErrorStyle;
  /** Wait before every token response, in milliseconds. Default 0. */
  delayMs?: number;
  /** Source of the current time in epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** The request log keeps at most this many entries. Default 10,000. */
  maxLoggedRequests?: number;
  /** Fields added to every successful token response, such as Salesforce's `instance_url`. Default none. */
  extraTokenFields?: Record<string, unknown>;
}

/** One request to the token endpoint, with its form fields (secrets included, for assertions). */
export interface TokenRequestRecord {
  grantType: string | undefined;
  clientAuthentication: ClientAuthenticationUsed;
  clientId: string | undefined;
  form: Record<string, string>;
  status: number;
  /** Arrival time in epoch milliseconds from the simulator's clock. */
  time: number;
}

/** A forced failure: an RFC 6749 error code, or any status and body. */
export type TokenFailure = OAuthErrorCode | { status: number; body: unknown };

export interface RunningOAuthTokenSimulator {
  /** Origin, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** Absolute token endpoint URL. */
  tokenUrl: string;
  /** Absolute authorization endpoint URL. */
  authorizeUrl: string;
  port: number;
  close(): Promise<void>;
}

/** An OAuth 2.0 token endpoint on loopback; see index.ts for the behaviours it reproduces. */
export class OAuthTokenSimulator {
  readonly requests: RequestLog;
  readonly tokenRequests: TokenRequestRecord[] = [];
  readonly authorizationRequests: AuthorizationRequestRecord[] = [];
  private readonly grants: TokenGrants;
  private readonly codes: AuthorizationCodes;
  private denials = 0;
  private codeGrants = 0;
  private extraTokenFields: Record<string, unknown>;
  private readonly clients: Map<string, OAuthClient>;
  private readonly failures: TokenFailure[] = [];
  private readonly clock: () => number;
  private delayMs: number;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private refreshes = 0;
  private clientCredentialGrants = 0;

  constructor(private readonly options: OAuthTokenSimulatorOptions) {
    this.clock = options.clock ?? Date.now;
    this.delayMs = options.delayMs ?? 0;
    this.clients = new Map(options.clients.map((client) => [client.clientId, client]));
    this.requests = new RequestLog(options.maxLoggedRequests);
    this.grants = new TokenGrants(this.clock, () => options.accessTokenLifetimeSeconds ?? 1800);
    this.codes = new AuthorizationCodes(this.clock);
    this.extraTokenFields = { ...options.extraTokenFields };
  }

  /** Token requests with `grant_type=authorization_code`, including failed ones. */
  get authorizationCodeCount(): number {
    return this.codeGrants;
  }

  /** Replaces the fields added to every successful token response, e.g. `instance_url` once the simulator's own URL is known. */
  setExtraTokenFields(fields: Record<string, unknown>): void {
    this.extraTokenFields = { ...fields };
  }

  /** Refuses the next `count` authorization requests as if the user clicked "deny" (`error=access_denied`). */
  denyNextAuthorizations(count: number): void {
    this.denials += count;
  }

  /** Token requests with `grant_type=refresh_token`, including failed ones. */
  get refreshCount(): number {
    return this.refreshes;
  }

  /** Token requests with `grant_type=client_credentials`, including failed ones. */
  get clientCredentialsCount(): number {
    return this.clientCredentialGrants;
  }

  /** The access token issued last, by any grant. */
  get lastAccessToken(): string | undefined {
    return this.grants.lastAccessToken;
  }

  get tokenUrl(): string | undefined {
    return this.baseUrl === undefined ? undefined : `${this.baseUrl}${TOKEN_PATH}`;
  }

  /** Issues tokens for a client as if a user had completed the authorization code grant. */
  authorize(clientId: string, scope: readonly string[] = []): IssuedTokens {
    if (!this.clients.has(clientId)) throw new Error(`No client "${clientId}" is registered with the simulator.`);
    return this.grants.authorize(clientId, scope);
  }

  revokeRefreshToken(refreshToken: string): boolean {
    return this.grants.revokeRefreshToken(refreshToken);
  }

  isRefreshTokenValid(refreshToken: string): boolean {
    return this.grants.isRefreshTokenValid(refreshToken);
  }

  expireAccessToken(accessToken: string): boolean {
    return this.grants.expireAccessToken(accessToken);
  }

  isAccessTokenValid(accessToken: string): boolean {
    return this.grants.findValidAccessToken(accessToken) !== undefined;
  }

  /** Makes the next `count` token requests fail with `failure`, whatever their grant. */
  failNextTokenRequests(count: number, failure: TokenFailure): void {
    for (let index = 0; index < count; index += 1) this.failures.push(failure);
  }

  /** Sets the wait before every token response, in milliseconds. */
  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<RunningOAuthTokenSimulator> {
    if (this.server) throw new Error('The OAuth token simulator is already running.');

    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: 'server_error', error_description: String(error) });
      });
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    const address = server.address() as AddressInfo;
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    this.baseUrl = origin;

    return {
      url: origin,
      tokenUrl: `${origin}${TOKEN_PATH}`,
      authorizeUrl: `${origin}${AUTHORIZE_PATH}`,
      port: address.port,
      close: () => this.close(),
    };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const time = this.clock();
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    let status: number;
    let loggedBody: unknown;

    if (url.pathname === TOKEN_PATH) {
      const result = await this.handleToken(request, time);
      status = result.status;
      loggedBody = result.form;
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      sendJson(response, result.status, result.body, { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...result.headers }, 'application/json;charset=UTF-8');
    } else if (url.pathname === AUTHORIZE_PATH && request.method === 'GET') {
      status = this.handleAuthorization(url, response, time);
    } else if (url.pathname === RESOURCE_PATH && request.method === 'GET') {
      status = this.handleResource(request, response);
    } else if (url.pathname === CONTACTS_PATH && request.method === 'GET') {
      status = this.handleResource(request, response, { results: SIMULATED_CONTACTS });
    } else {
      status = 404;
      sendJson(response, 404, { error: 'not_found', error_description: `No route for ${request.method} ${url.pathname}.` });
    }

    this.requests.record({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: loggedBody,
      status,
      time,
      durationMs: performance.now() - started,
    });
  }

  private async handleToken(request: IncomingMessage, time: number): Promise<TokenErrorResponse & { form: Record<string, string> }> {
    const style = this.options.errorStyle ?? 'rfc6749';
    const fail = (code: OAuthErrorCode, description: string, usedBasicAuth = false) => buildTokenError(code, description, { style, usedBasicAuth });

    if (request.method !== 'POST') {
      return { ...fail('invalid_request', 'The token endpoint accepts only POST.'), headers: { Allow: 'POST' }, status: 405, form: {} };
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const text = await readRequestBody(request, MAX_TOKEN_BODY_BYTES);
    if (contentType !== 'application/x-www-form-urlencoded') {
      return { ...fail('invalid_request', 'The request body must be application/x-www-form-urlencoded.'), form: {} };
    }

    const params = new URLSearchParams(text);
    const form = Object.fromEntries(params);
    const repeated = [...new Set([...params.keys()].filter((name) => params.getAll(name).length > 1))];
    const grantType = form.grant_type;
    if (grantType === 'refresh_token') this.refreshes += 1;
    if (grantType === 'client_credentials') this.clientCredentialGrants += 1;
    if (grantType === 'authorization_code') this.codeGrants += 1;

    const clientCheck = authenticateClient(this.clients, request.headers.authorization, form, style);
    const finish = (result: TokenErrorResponse) => {
      this.tokenRequests.push({ grantType, clientAuthentication: clientCheck.used, clientId: clientCheck.clientId, form, status: result.status, time });
      return { ...result, form };
    };

    const forced = this.failures.shift();
    if (forced !== undefined) {
      return finish(typeof forced === 'string' ? fail(forced, `Failure ${forced} forced by the test.`, clientCheck.used === 'basic') : { status: forced.status, body: forced.body });
    }
    // RFC 6749 section 3.2: parameters must not be included more than once.
    if (repeated.length > 0) return finish(fail('invalid_request', `The parameter ${repeated.join(', ')} appears more than once.`));
    if (clientCheck.error) return finish(clientCheck.error);
    if (grantType === undefined || grantType === '') return finish(fail('invalid_request', 'The grant_type parameter is missing.'));

    const client = clientCheck.client!;
    if (grantType === 'refresh_token') return finish(this.refreshGrant(client, form, fail));
    if (grantType === 'client_credentials') return finish(this.clientCredentialsGrant(client, form, fail));
    if (grantType === 'authorization_code') return finish(this.authorizationCodeGrant(client, form, fail));
    return finish(fail('unsupported_grant_type', `The grant type "${grantType}" is not supported; use authorization_code, refresh_token or client_credentials.`));
  }

  private refreshGrant(
    client: OAuthClient,
    form: Record<string, string>,
    fail: (code: OAuthErrorCode, description: string) => TokenErrorResponse,
  ): TokenErrorResponse {
    const refreshToken = form.refresh_token;
    if (refreshToken === undefined || refreshToken === '') return fail('invalid_request', 'The refresh_token parameter is missing.');

    const grant = this.grants.findRefreshToken(refreshToken, client.clientId);
    if (!grant) return fail('invalid_grant', 'The refresh token is invalid, expired, revoked or was issued to another client.');

    // RFC 6749 section 6: a requested scope must not exceed the original grant.
    const requested = parseScope(form.scope);
    const scope = requested ?? grant.scope;
    if (scope.some((name) => !grant.scope.includes(name))) return fail('invalid_scope', 'The requested scope exceeds the scope of the original grant.');

    const tokens = this.grants.refresh(refreshToken, scope, this.options.rotateRefreshTokens === true);
    return { status: 200, body: this.tokenBody(tokens) };
  }

  private clientCredentialsGrant(
    client: OAuthClient,
    form: Record<string, string>,
    fail: (code: OAuthErrorCode, description: string) => TokenErrorResponse,
  ): TokenErrorResponse {
    // RFC 6749 section 4.4: only confidential clients may use this grant.
    if (client.clientSecret === undefined) return fail('unauthorized_client', 'A public client may not use the client_credentials grant.');

    const scope = parseScope(form.scope) ?? [];
    if (client.scopes !== undefined && scope.some((name) => !client.scopes!.includes(name))) {
      return fail('invalid_scope', `The client may request only: ${client.scopes.join(' ')}.`);
    }

    // RFC 6749 section 4.4.3: a refresh token should not be included.
    return { status: 200, body: this.tokenBody(this.grants.issueAccessToken(client.clientId, scope)) };
  }

  /** RFC 6749 section 4.1.3, with the PKCE check of RFC 7636 section 4.6 in `AuthorizationCodes.redeem`. */
  private authorizationCodeGrant(
    client: OAuthClient,
    form: Record<string, string>,
    fail: (code: OAuthErrorCode, description: string) => TokenErrorResponse,
  ): TokenErrorResponse {
    const code = form.code;
    if (code === undefined || code === '') return fail('invalid_request', 'The code parameter is missing.');

    const redeemed = this.codes.redeem(code, client.clientId, form.redirect_uri, form.code_verifier);
    if (!redeemed.ok) return fail(redeemed.error, redeemed.description);
    return { status: 200, body: this.tokenBody(this.grants.authorize(client.clientId, redeemed.scope)) };
  }

  private handleAuthorization(url: URL, response: ServerResponse, time: number): number {
    const result = handleAuthorize(url, {
      clients: this.clients,
      codes: this.codes,
      takeDenial: () => {
        if (this.denials === 0) return false;
        this.denials -= 1;
        return true;
      },
    });
    this.authorizationRequests.push({ query: Object.fromEntries(url.searchParams), outcome: result.outcome, status: result.status, time });

    if (result.location !== undefined) sendEmpty(response, result.status, { Location: result.location, 'Cache-Control': 'no-store' });
    else sendJson(response, result.status, result.body);
    return result.status;
  }

  private tokenBody(tokens: IssuedTokens): Record<string, unknown> {
    const body: Record<string, unknown> = { ...this.extraTokenFields, access_token: tokens.accessToken, token_type: 'bearer' };
    if (this.options.omitExpiresIn !== true) body.expires_in = tokens.expiresInSeconds;
    if (tokens.refreshToken !== undefined) body.refresh_token = tokens.refreshToken;
    return body;
  }

  /** Serves RFC 6750 bearer authentication: 401 with `error="invalid_token"` for a missing, unknown or expired token. */
  private handleResource(request: IncomingMessage, response: ServerResponse, body?: unknown): number {
    const header = request.headers.authorization ?? '';
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    const issued = token === '' ? undefined : this.grants.findValidAccessToken(token);
    if (!issued) {
      sendJson(response, 401, { error: 'invalid_token', error_description: 'The access token is missing, unknown or expired.' }, {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token is missing, unknown or expired"',
      });
      return 401;
    }
    sendJson(response, 200, body ?? { clientId: issued.clientId, scope: issued.scope.join(' ') });
    return 200;
  }
}

function parseScope(scope: string | undefined): string[] | undefined {
  if (scope === undefined) return undefined;
  return scope.split(' ').filter((name) => name !== '');
}

export function createOAuthTokenSimulator(options: OAuthTokenSimulatorOptions): OAuthTokenSimulator {
  return new OAuthTokenSimulator(options);
}
