import type { QueryValue } from '../http/index.js';
import type { AuthMethod } from '../runtime/manifest-types.js';
import { readCredential } from './credential-fields.js';

/** The parts of an outbound request that auth can change. */
export interface AuthenticatedRequest {
  headers?: Record<string, string>;
  query?: Record<string, QueryValue>;
}

/**
 * Returns a copy of `request` carrying the credentials the way `method` declares: an
 * API key header or query parameter (with its prefix), Basic, or a Bearer token.
 * Raises `CREDENTIALS_INVALID` naming the missing field; secrets never enter the error.
 */
export function applyAuth<T extends AuthenticatedRequest>(
  method: AuthMethod,
  credentials: Readonly<Record<string, string>>,
  request: T,
): T {
  switch (method.type) {
    case 'apiKey': {
      const key = readCredential(credentials, method.credentialField ?? 'apiKey', method);
      const value = `${method.prefix ?? ''}${key}`;
      if (method.in === 'query') return { ...request, query: { ...request.query, [method.name]: value } };
      return withHeader(request, method.name, value);
    }

    case 'basic': {
      const username = readCredential(credentials, method.usernameField ?? 'username', method);
      const password = readCredential(credentials, method.passwordField ?? 'password', method);
      const token = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
      return withHeader(request, 'authorization', `Basic ${token}`);
    }

    case 'bearer':
      return withHeader(request, 'authorization', `Bearer ${readCredential(credentials, method.credentialField ?? 'accessToken', method)}`);

    case 'oauth2AuthorizationCode':
    case 'oauth2ClientCredentials':
      // The request pipeline refreshes an expiring token before this runs; see services/token-refresh.
      return withHeader(request, 'authorization', `Bearer ${readCredential(credentials, 'accessToken', method)}`);
  }
}

/** Sets a header, replacing any header of the same name in another letter case. */
function withHeader<T extends AuthenticatedRequest>(request: T, name: string, value: string): T {
  const lowerName = name.toLowerCase();
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).filter(([existing]) => existing.toLowerCase() !== lowerName),
  );
  headers[name] = value;
  return { ...request, headers };
}
