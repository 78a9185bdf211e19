import { createHash, randomBytes } from 'node:crypto';

/** Lifetime of an authorization code, in milliseconds. RFC 6749 section 4.1.2 recommends at most 10 minutes; 60 seconds is common. */
export const CODE_LIFETIME_MS = 60_000;

/** RFC 7636 section 4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] "-" "." "_" "~". */
const VERIFIER_FORMAT = /^[A-Za-z0-9\-._~]{43,128}$/;

/** An authorization code the simulator issued, with what it must be redeemed with. */
interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scope: string[];
  /** S256 challenge from the authorization request, or undefined without PKCE. */
  codeChallenge: string | undefined;
  expiresAt: number;
  redeemed: boolean;
}

export type CodeRedemption =
  | { ok: true; clientId: string; scope: string[] }
  | { ok: false; error: 'invalid_grant' | 'invalid_request'; description: string };

/**
 * Authorization codes of the simulated server: single use, bound to the client, the
 * redirect URI and the PKCE challenge of their authorization request (RFC 6749 section
 * 4.1.3, RFC 7636 section 4.6).
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly now: () => number) {}

  issue(clientId: string, redirectUri: string, scope: readonly string[], codeChallenge: string | undefined): string {
    const code = `code-${randomBytes(18).toString('base64url')}`;
    this.codes.set(code, { clientId, redirectUri, scope: [...scope], codeChallenge, expiresAt: this.now() + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  /**
   * Redeems a code. A code is rejected with invalid_grant when unknown, expired, already
   * redeemed, issued to another client or for another redirect URI, or when the verifier
   * does not hash to the challenge. A malformed verifier is invalid_request.
   */
  redeem(code: string, clientId: string, redirectUri: string | undefined, codeVerifier: string | undefined): CodeRedemption {
    const issued = this.codes.get(code);
    if (!issued) return { ok: false, error: 'invalid_grant', description: 'The authorization code is unknown.' };
    if (issued.redeemed) return { ok: false, error: 'invalid_grant', description: 'The authorization code was already used.' };

    // RFC 6749 section 10.5: a code is used once, so it is spent even when this attempt fails below.
    issued.redeemed = true;
    if (issued.expiresAt <= this.now()) return { ok: false, error: 'invalid_grant', description: 'The authorization code expired.' };
    if (issued.clientId !== clientId) return { ok: false, error: 'invalid_grant', description: 'The authorization code was issued to another client.' };
    if (issued.redirectUri !== redirectUri) return { ok: false, error: 'invalid_grant', description: 'The redirect_uri differs from the one of the authorization request.' };

    if (issued.codeChallenge !== undefined) {
      if (codeVerifier === undefined) return { ok: false, error: 'invalid_grant', description: 'The code_verifier parameter is missing.' };
      if (!VERIFIER_FORMAT.test(codeVerifier)) return { ok: false, error: 'invalid_request', description: 'The code_verifier is not 43 to 128 unreserved characters.' };
      const computed = createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
      if (computed !== issued.codeChallenge) return { ok: false, error: 'invalid_grant', description: 'The code_verifier does not match the code_challenge.' };
    }
    return { ok: true, clientId: issued.clientId, scope: [...issued.scope] };
  }

  /** Codes issued so far, redeemed or not. */
  get size(): number {
    return this.codes.size;
  }
}
