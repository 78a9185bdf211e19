import { LumioError } from '../errors/index.js';
import type { AuthMethod, ConnectorManifest } from '../runtime/manifest-types.js';
import { findMissingCredentialFields, listCredentialFields, missingCredentials } from './credential-fields.js';

/**
 * Picks the auth method a connection uses. With `requested` (an auth method type such
 * as "apiKey"), that method is used and its credential fields must be present.
 * Otherwise the first method, in manifest order, whose credential fields are all
 * present wins. Raises `AUTH_METHOD_UNSUPPORTED` for a type the manifest lacks and
 * `CREDENTIALS_INVALID` naming the expected fields when nothing matches.
 */
export function selectAuthMethod(
  manifest: Pick<ConnectorManifest, 'id' | 'auth'>,
  credentials: Readonly<Record<string, string>>,
  requested?: string,
): AuthMethod {
  if (requested !== undefined) {
    const method = manifest.auth.find((candidate) => candidate.type === requested);
    if (!method) {
      const offered = manifest.auth.map((candidate) => `"${candidate.type}"`).join(', ');
      throw new LumioError(
        'AUTH_METHOD_UNSUPPORTED',
        `The connector "${manifest.id}" has no "${requested}" auth method; choose one of ${offered}.`,
        { status: 400, fault: 'caller', details: { requested, offered: manifest.auth.map((candidate) => candidate.type) } },
      );
    }
    const missing = findMissingCredentialFields(method, credentials);
    if (missing.length > 0) throw missingCredentials(method, missing);
    return method;
  }

  const complete = manifest.auth.find((method) => findMissingCredentialFields(method, credentials).length === 0);
  if (complete) return complete;

  const expected = manifest.auth.map((method) => `${method.type} (${listCredentialFields(method).join(', ')})`);
  throw new LumioError(
    'CREDENTIALS_INVALID',
    `The credentials match no auth method of "${manifest.id}"; supply the fields of one of: ${expected.join('; ')}.`,
    {
      status: 400,
      fault: 'caller',
      details: {
        expected: manifest.auth.map((method) => ({ authMethod: method.type, fields: listCredentialFields(method) })),
      },
    },
  );
}
