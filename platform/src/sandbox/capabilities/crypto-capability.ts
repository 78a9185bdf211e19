import { createHash, createHmac, getHashes, timingSafeEqual } from 'node:crypto';

import { invalidHostCall } from './host-call-error.js';

const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'];
const HASH_ALGORITHMS = [...HMAC_ALGORITHMS, 'md5'];
const INPUT_ENCODINGS = ['utf8', 'base64', 'hex'] as const;
const OUTPUT_ENCODINGS = ['hex', 'base64', 'base64url'] as const;

/** Maximum length of the input of one hash or MAC, in characters. */
export const MAX_DIGEST_INPUT = 16 * 1024 * 1024;

/** Looks a key up by the reference a plugin names; undefined when there is no such key. */
export type KeyResolver = (keyRef: string) => string | undefined;

/**
 * Runs `context.crypto.hmac`, `hash` or `timingSafeEqual`. The plugin names an HMAC key by
 * reference, and the key itself never leaves the host.
 */
export function runCryptoCall(method: string, args: unknown[], resolveKey: KeyResolver): string | boolean {
  switch (method) {
    case 'hmac':
      return computeHmac(args, resolveKey);
    case 'hash':
      return computeHash(args);
    case 'timingSafeEqual':
      return compareStrings(args);
    default:
      throw invalidHostCall(`crypto.${method}`, 'the crypto capability has hmac, hash and timingSafeEqual');
  }
}

function computeHmac(args: unknown[], resolveKey: KeyResolver): string {
  const [keyRef, algorithm, data, options] = args;
  if (typeof keyRef !== 'string' || keyRef === '') throw invalidHostCall('crypto.hmac', 'the key reference must be a non-empty string');
  checkAlgorithm('crypto.hmac', algorithm, HMAC_ALGORITHMS);
  const input = readInput('crypto.hmac', data, options);
  const encoding = readOutputEncoding('crypto.hmac', options);

  const key = resolveKey(keyRef);
  if (key === undefined) throw invalidHostCall('crypto.hmac', `no key is named "${keyRef}"; name a credential field of the connection`);
  return createHmac(algorithm as string, key).update(input).digest(encoding);
}

function computeHash(args: unknown[]): string {
  const [algorithm, data, options] = args;
  checkAlgorithm('crypto.hash', algorithm, HASH_ALGORITHMS);
  return createHash(algorithm as string).update(readInput('crypto.hash', data, options)).digest(readOutputEncoding('crypto.hash', options));
}

function compareStrings(args: unknown[]): boolean {
  const [a, b] = args;
  if (typeof a !== 'string' || typeof b !== 'string') throw invalidHostCall('crypto.timingSafeEqual', 'both values must be strings');
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual throws on buffers of different lengths, so they are unequal first.
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkAlgorithm(call: string, algorithm: unknown, allowed: string[]): void {
  if (typeof algorithm !== 'string' || !allowed.includes(algorithm) || !getHashes().includes(algorithm)) {
    throw invalidHostCall(call, `the algorithm must be one of ${allowed.join(', ')}`);
  }
}

function readInput(call: string, data: unknown, options: unknown): Buffer {
  if (typeof data !== 'string') throw invalidHostCall(call, 'the data must be a string');
  if (data.length > MAX_DIGEST_INPUT) throw invalidHostCall(call, `the data is longer than ${MAX_DIGEST_INPUT} characters`);
  const encoding = readOption(call, options, 'inputEncoding', INPUT_ENCODINGS, 'utf8');
  return Buffer.from(data, encoding);
}

function readOutputEncoding(call: string, options: unknown): (typeof OUTPUT_ENCODINGS)[number] {
  return readOption(call, options, 'outputEncoding', OUTPUT_ENCODINGS, 'hex');
}

function readOption<T extends string>(call: string, options: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (options === undefined || options === null) return fallback;
  if (typeof options !== 'object') throw invalidHostCall(call, 'the options must be an object');
  const value = (options as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalidHostCall(call, `${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}
