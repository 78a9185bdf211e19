import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { isLumioError } from '../../errors/index.js';
import { runCryptoCall } from './crypto-capability.js';

const KEYS: Record<string, string> = { clientSecret: 'Jefe', webhookSecret: 's3cr3t' };
const resolveKey = (keyRef: string) => KEYS[keyRef];

function errorOf(action: () => unknown): { code: string; message: string } {
  try {
    action();
  } catch (error) {
    if (isLumioError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('runCryptoCall', () => {
  it('computes HMAC-SHA256 by key reference (RFC 4231 test case 2)', () => {
    const digest = runCryptoCall('hmac', ['clientSecret', 'sha256', 'what do ya want for nothing?'], resolveKey);

    expect(digest).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('encodes an HMAC as base64', () => {
    const body = '{"event":"contact.created","id":42}';
    const expected = createHmac('sha256', 's3cr3t').update(body).digest('base64');

    expect(runCryptoCall('hmac', ['webhookSecret', 'sha256', body, { outputEncoding: 'base64' }], resolveKey)).toBe(expected);
  });

  it('reads base64 input', () => {
    const bytes = Buffer.from([0, 255, 1, 254]);
    const expected = createHmac('sha1', 's3cr3t').update(bytes).digest('hex');

    expect(runCryptoCall('hmac', ['webhookSecret', 'sha1', bytes.toString('base64'), { inputEncoding: 'base64' }], resolveKey)).toBe(expected);
  });

  it('hashes SHA-256 and MD5 (FIPS 180-2 and RFC 1321 vectors)', () => {
    expect(runCryptoCall('hash', ['sha256', 'abc'], resolveKey)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(runCryptoCall('hash', ['md5', 'abc'], resolveKey)).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('compares strings', () => {
    expect(runCryptoCall('timingSafeEqual', ['abc', 'abc'], resolveKey)).toBe(true);
    expect(runCryptoCall('timingSafeEqual', ['abc', 'abd'], resolveKey)).toBe(false);
    expect(runCryptoCall('timingSafeEqual', ['abc', 'abcd'], resolveKey)).toBe(false);
  });

  it('rejects an unknown key reference without naming any key', () => {
    const error = errorOf(() => runCryptoCall('hmac', ['missing', 'sha256', 'x'], resolveKey));

    expect(error.code).toBe('PLUGIN_HOST_CALL_INVALID');
    expect(error.message).toContain('no key is named "missing"');
    expect(error.message).not.toContain('Jefe');
  });

  it.each([
    ['hmac', ['clientSecret', 'md5', 'x']],
    ['hmac', ['clientSecret', 'sha256', 12]],
    ['hmac', ['', 'sha256', 'x']],
    ['hmac', ['clientSecret', 'sha256', 'x', { outputEncoding: 'latin1' }]],
    ['hash', ['whirlpool', 'x']],
    ['hash', ['sha256', 'x', { inputEncoding: 'binary' }]],
    ['hash', ['sha256', 'x', 'hex']],
    ['timingSafeEqual', ['a', 1]],
    ['sign', ['x']],
  ])('rejects %s with %j', (method, args) => {
    expect(errorOf(() => runCryptoCall(method, args, resolveKey)).code).toBe('PLUGIN_HOST_CALL_INVALID');
  });
});
