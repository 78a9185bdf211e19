import { randomUUID } from 'node:crypto';

/** Error codes of RFC 6749 section 5.2, plus the two server-side ones providers send with 5xx. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

/**
 * Body shape of error responses. "rfc6749" sends `{error, error_description}`. "hubspot"
 * sends a rejected refresh token the way integrators report HubSpot does: HTTP 400 with
 * `{status: "BAD_REFRESH_TOKEN", message: "missing or invalid refresh token", correlationId}`
 * and no `error` field. Other errors keep the RFC 6749 shape in both styles.
 */
export type ErrorStyle = 'rfc6749' | 'hubspot';

/** A response the token endpoint sends instead of tokens. */
export interface TokenErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STATUS_BY_CODE: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 400,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  server_error: 500,
  temporarily_unavailable: 503,
};

export interface BuildTokenErrorOptions {
  style: ErrorStyle;
  /**
   * True when the client sent an Authorization header. RFC 6749 section 5.2 then requires
   * 401 with a WWW-Authenticate header for invalid_client.
   */
  usedBasicAuth?: boolean;
}

/** Builds the status, headers and body of a token endpoint error. */
export function buildTokenError(code: OAuthErrorCode, description: string, options: BuildTokenErrorOptions): TokenErrorResponse {
  if (code === 'invalid_grant' && options.style === 'hubspot') {
    return { status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token', correlationId: randomUUID() } };
  }

  const body = { error: code, error_description: description };
  if (code === 'invalid_client' && options.usedBasicAuth) {
    return { status: 401, body, headers: { 'WWW-Authenticate': 'Basic realm="oauth"' } };
  }
  return { status: STATUS_BY_CODE[code], body };
}
