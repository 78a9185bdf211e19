import { randomBytes } from 'node:crypto';

/** A registered OAuth client. Without a secret it is a public client (RFC 6749 section 2.1). */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
  /** Scopes a client credentials grant may request. Default: any scope. */
  scopes?: readonly string[];
  /** Redirect URIs the authorization endpoint accepts, compared exactly. Default: any http or https URI. */
  redirectUris?: readonly string[];
  /** Whether an authorization request must carry a PKCE challenge. Default false. */
  requirePkce?: boolean;
}

/** An access token the simulator issued. */
export interface IssuedAccessToken {
  clientId: string;
  scope: string[];
  /** Epoch milliseconds after which the resource endpoint rejects it. */
  expiresAt: number;
}

/** A refresh token the simulator issued and has not invalidated. */
interface IssuedRefreshToken {
  clientId: string;
  scope: string[];
}

/** Access and refresh tokens as one grant (initial or refresh) hands them out. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresInSeconds: number;
  scope: string[];
}

function createToken(prefix: string): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

/** The token state of the simulated authorization server. */
export class TokenGrants {
  private readonly accessTokens = new Map<string, IssuedAccessToken>();
  private readonly refreshTokens = new Map<string, IssuedRefreshToken>();
  private latestAccessToken: string | undefined;

  constructor(
    private readonly now: () => number,
    private readonly lifetimeSeconds: () => number,
  ) {}

  /** The access token issued last, by any grant. */
  get lastAccessToken(): string | undefined {
    return this.latestAccessToken;
  }

  /** Issues an access and refresh token pair, as a completed authorization code grant would. */
  authorize(clientId: string, scope: readonly string[]): IssuedTokens {
    const refreshToken = createToken('rt');
    this.refreshTokens.set(refreshToken, { clientId, scope: [...scope] });
    return { ...this.issueAccessToken(clientId, scope), refreshToken };
  }

  /** Issues an access token without a refresh token, as the client credentials grant does. */
  issueAccessToken(clientId: string, scope: readonly string[]): IssuedTokens {
    const accessToken = createToken('at');
    const expiresInSeconds = this.lifetimeSeconds();
    this.accessTokens.set(accessToken, { clientId, scope: [...scope], expiresAt: this.now() + expiresInSeconds * 1000 });
    this.latestAccessToken = accessToken;
    return { accessToken, expiresInSeconds, scope: [...scope] };
  }

  /** Returns the grant behind a usable refresh token of `clientId`, or undefined. */
  findRefreshToken(refreshToken: string, clientId: string): IssuedRefreshToken | undefined {
    const grant = this.refreshTokens.get(refreshToken);
    return grant !== undefined && grant.clientId === clientId ? grant : undefined;
  }

  /** Issues a new access token for a refresh token, and replaces the refresh token when `rotate` is true. */
  refresh(refreshToken: string, scope: readonly string[], rotate: boolean): IssuedTokens {
    const grant = this.refreshTokens.get(refreshToken);
    if (grant === undefined) throw new Error(`Unknown refresh token ${refreshToken.slice(0, 6)}…`);

    const tokens = this.issueAccessToken(grant.clientId, scope);
    if (!rotate) return { ...tokens, refreshToken };

    this.refreshTokens.delete(refreshToken);
    const replacement = createToken('rt');
    this.refreshTokens.set(replacement, { ...grant });
    return { ...tokens, refreshToken: replacement };
  }

  revokeRefreshToken(refreshToken: string): boolean {
    return this.refreshTokens.delete(refreshToken);
  }

  /** Makes an access token expire now, as if its lifetime had passed. */
  expireAccessToken(accessToken: string): boolean {
    const issued = this.accessTokens.get(accessToken);
    if (issued === undefined) return false;
    issued.expiresAt = this.now();
    return true;
  }

  /** Returns the access token when it was issued and has not expired. */
  findValidAccessToken(accessToken: string): IssuedAccessToken | undefined {
    const issued = this.accessTokens.get(accessToken);
    return issued !== undefined && issued.expiresAt > this.now() ? issued : undefined;
  }

  isRefreshTokenValid(refreshToken: string): boolean {
    return this.refreshTokens.has(refreshToken);
  }
}
