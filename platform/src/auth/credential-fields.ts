import { LumioError } from '../errors/index.js';
import type { AuthMethod } from '../runtime/manifest-types.js';

/** Lists the credential keys an auth method reads, with the manifest's defaults applied. */
export function listCredentialFields(method: AuthMethod): string[] {
  switch (method.type) {
    case 'apiKey':
      return [method.credentialField ?? 'apiKey'];
    case 'basic':
      return [method.usernameField ?? 'username', method.passwordField ?? 'password'];
    case 'bearer':
      return [method.credentialField ?? 'accessToken'];
    case 'oauth2AuthorizationCode':
    case 'oauth2ClientCredentials':
      return ['accessToken'];
  }
}

/** Lists the fields of `method` that are absent or empty in `credentials`. */
export function findMissingCredentialFields(method: AuthMethod, credentials: Readonly<Record<string, string>>): string[] {
  return listCredentialFields(method).filter((field) => !hasValue(credentials, field));
}

/** Reads a credential, raising `CREDENTIALS_INVALID` naming the field (never its value) when it is missing. */
export function readCredential(credentials: Readonly<Record<string, string>>, field: string, method: AuthMethod): string {
  if (!hasValue(credentials, field)) throw missingCredentials(method, [field]);
  return credentials[field] as string;
}

export function missingCredentials(method: AuthMethod, fields: readonly string[]): LumioError {
  const names = fields.map((field) => `"${field}"`).join(', ');
  return new LumioError(
    'CREDENTIALS_INVALID',
    `The credentials lack ${names}, which the ${method.type} auth method requires; reconnect with ${fields.length === 1 ? 'that field' : 'those fields'} filled in.`,
    { status: 400, fault: 'caller', details: { authMethod: method.type, missingFields: [...fields] } },
  );
}

function hasValue(credentials: Readonly<Record<string, string>>, field: string): boolean {
  const value = Object.hasOwn(credentials, field) ? credentials[field] : undefined;
  return typeof value === 'string' && value !== '';
}
