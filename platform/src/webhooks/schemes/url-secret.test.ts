import { describe, expect, it } from 'vitest';
import { NOW, RAW_BYTE_BODIES, hostileValues, reasonOf, request } from './scheme-test-kit.js';
import { urlSecretScheme } from './url-secret.js';

const SIGNATURE = { scheme: 'url-secret' } as const;
const SECRET = 'q9Xr-2b_Lk7wT0vZ';
const OLDER = 'older secret with spaces & symbols/+=?';
const BASE = 'https://hooks.lumio.test/webhooks/legacy/tok_77';

function verify(url: string, secrets: readonly string[] = [SECRET], body: Buffer = Buffer.from('<xml/>')) {
  return urlSecretScheme.verify({ request: request({ url, headers: {}, body }), secrets, signature: SIGNATURE, now: NOW });
}

describe('urlSecretScheme', () => {
  it('accepts the secret parameter', () => {
    expect(verify(`${BASE}?secret=${SECRET}`)).toEqual({ ok: true });
    expect(verify(`${BASE}?list=7&secret=${SECRET}&x=1`).ok).toBe(true);
  });

  it('decodes a percent-encoded secret', () => {
    expect(verify(`${BASE}?secret=${encodeURIComponent(OLDER)}`, [OLDER]).ok).toBe(true);
  });

  it('accepts the second of two secrets', () => {
    const url = `${BASE}?secret=${encodeURIComponent(OLDER)}`;

    expect(reasonOf(verify(url))).toBe('credentials_mismatch');
    expect(verify(url, [SECRET, OLDER]).ok).toBe(true);
  });

  it('rejects a wrong secret', () => {
    const result = verify(`${BASE}?secret=${SECRET}x`);

    expect(reasonOf(result)).toBe('credentials_mismatch');
    expect(result.ok ? '' : result.message).not.toContain(SECRET);
  });

  it('rejects a missing, empty or repeated parameter', () => {
    expect(verify(BASE)).toEqual({ ok: false, reason: 'credentials_mismatch', message: 'The delivery URL has no secret query parameter.' });
    expect(reasonOf(verify(`${BASE}?secret=`))).toBe('credentials_mismatch');
    expect(reasonOf(verify(`${BASE}?Secret=${SECRET}`))).toBe('credentials_mismatch');

    const repeated = verify(`${BASE}?secret=${SECRET}&secret=${SECRET}`);
    expect(repeated.ok ? '' : repeated.message).toContain('more than one');
  });

  it('rejects an unparsable URL without throwing', () => {
    expect(reasonOf(verify(`not a url?secret=${SECRET}`))).toBe('credentials_mismatch');
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(`${BASE}?secret=${SECRET}`, []))).toBe('secret_missing');
    expect(reasonOf(verify(`${BASE}?secret=`, ['']))).toBe('secret_missing');
  });

  it('never throws on hostile URLs', () => {
    for (const value of hostileValues(400)) {
      expect(() => verify(`${BASE}?secret=${value}`)).not.toThrow();
      expect(() => verify(value)).not.toThrow();
      expect(verify(value).ok).toBe(false);
    }
  });

  it.each(RAW_BYTE_BODIES)('ignores the body with %s', (_name, body) => {
    expect(verify(`${BASE}?secret=${SECRET}`, [SECRET], body).ok).toBe(true);
  });

  it('appends the secret to the URL when signing', () => {
    const sign = (url: string, secret = SECRET) =>
      urlSecretScheme.sign({ secret, method: 'POST', url, body: Buffer.alloc(0), now: NOW, id: 'x', signature: SIGNATURE });

    expect(sign(BASE)).toEqual({ headers: {}, url: `${BASE}?secret=${SECRET}` });
    expect(sign(`${BASE}?a=%20b`).url).toBe(`${BASE}?a=%20b&secret=${SECRET}`);
    expect(sign(`${BASE}?`).url).toBe(`${BASE}?secret=${SECRET}`);
    expect(sign(`${BASE}#frag`).url).toBe(`${BASE}?secret=${SECRET}#frag`);
    expect(sign(BASE, OLDER).url).toBe(`${BASE}?secret=older%20secret%20with%20spaces%20%26%20symbols%2F%2B%3D%3F`);
  });

  it('round-trips sign through verify', () => {
    for (const secret of [SECRET, OLDER, 'ação 🎉']) {
      const signed = urlSecretScheme.sign({ secret, method: 'POST', url: `${BASE}?a=1`, body: Buffer.alloc(0), now: NOW, id: 'x', signature: SIGNATURE });

      expect(verify(signed.url, [secret]).ok).toBe(true);
    }
  });
});
