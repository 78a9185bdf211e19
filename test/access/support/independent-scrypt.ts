import { scryptSync } from 'node:crypto';

import { expect } from 'vitest';

/**
 * Recomputes a stored password hash with node:crypto directly, from the parameters and the
 * salt written in it, and returns both hashes in unpadded base64 for comparison.
 */
export function recomputeScrypt(stored: string, password: string): { expected: string; actual: string } {
  const [scheme, parameters, salt, hash] = stored.split('$');
  expect(scheme).toBe('scrypt');

  const values = Object.fromEntries((parameters ?? '').split(',').map((pair) => pair.split('=') as [string, string]));
  const N = 2 ** Number(values.ln);
  const r = Number(values.r);
  const key = scryptSync(password, Buffer.from(salt ?? '', 'base64'), 32, { N, r, p: Number(values.p), maxmem: 256 * N * r });
  return { expected: hash ?? '', actual: key.toString('base64').replace(/=+$/, '') };
}
