import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

import { LumioError } from '../errors/index.js';

/** scrypt parameters stored with each hash, so hashes made with older settings still verify. */
export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelization. */
  p: number;
}

/** Shortest password accepted, in characters (Unicode code points). */
export const MIN_PASSWORD_LENGTH = 12;
/** Maximum password length, in characters, because longer input only costs hashing time. */
export const MAX_PASSWORD_LENGTH = 1024;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const HASH_PATTERN = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Parameters of new hashes unless the configuration sets another cost. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { logN: 17, r: 8, p: 1 };

/** Raises PASSWORD_INVALID (400, field `password`) unless the password has 12 to 1024 characters. */
export function checkPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') {
    throw new LumioError('PASSWORD_INVALID', `${field} must be a string of at least ${MIN_PASSWORD_LENGTH} characters.`, { status: 400, fault: 'caller', details: { field } });
  }

  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new LumioError('PASSWORD_TOO_SHORT', `The password has ${length} characters; use at least ${MIN_PASSWORD_LENGTH}.`, { status: 400, fault: 'caller', details: { field } });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new LumioError('PASSWORD_TOO_LONG', `The password has ${length} characters; use at most ${MAX_PASSWORD_LENGTH}.`, { status: 400, fault: 'caller', details: { field } });
  }
  return password;
}

function deriveKey(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const N = 2 ** parameters.logN;
  // scrypt needs 128 * N * r bytes; Node's default ceiling of 32 MiB is too low for N = 2^17.
  const maxmem = 128 * N * parameters.r + 16 * 1024 * 1024;
  // NFC, so an accented password matches whether the keyboard sent composed or decomposed characters.
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, { N, r: parameters.r, p: parameters.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password with a new random salt, as `scrypt$ln=17,r=8,p=1$<salt>$<hash>` (unpadded base64). */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, parameters);
  return `scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${unpadded(salt)}$${unpadded(key)}`;
}

/** Reads the parameters of a stored hash; null when the text is not a hash this module made. */
export function readHashParameters(stored: string): ScryptParameters | null {
  const match = HASH_PATTERN.exec(stored);
  if (!match) return null;

  // Bounds keep a damaged or hostile row from asking for gigabytes of memory.
  const parameters = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (parameters.logN < 10 || parameters.logN > 20 || parameters.r < 1 || parameters.r > 16 || parameters.p < 1 || parameters.p > 16) return null;
  return parameters;
}

/** Checks whether the password matches the stored hash. The comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(stored);
  const parameters = readHashParameters(stored);
  if (!match || !parameters) return false;

  const salt = Buffer.from(match[4] ?? '', 'base64');
  const expected = Buffer.from(match[5] ?? '', 'base64');
  const actual = await deriveKey(password, salt, parameters);
  // timingSafeEqual throws on different lengths, so a damaged hash is a failed login, not a 500.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Checks whether a stored hash was made with weaker parameters than the current ones and should be made again. */
export function needsRehash(stored: string, current: ScryptParameters): boolean {
  const parameters = readHashParameters(stored);
  return parameters === null || parameters.logN < current.logN || parameters.r < current.r || parameters.p < current.p;
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
