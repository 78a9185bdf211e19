import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { basicAuthScheme } from './basic-auth.js';
import { DELIVERY_URL, NOW, RAW_BYTE_BODIES, hostileValues, reasonOf, request } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'basic-auth' } as const;
const SECRET = 'lumio-hooks:S3nh@-f0rte:com:dois-pontos';
const OLDER = 'lumio-hooks:senha-antiga';

function basic(credentials: string | Buffer): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

function verify(authorization: string | undefined, secrets: readonly string[] = [SECRET], body: Buffer = Buffer.from('{}')) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return basicAuthScheme.verify({ request: request({ headers, body }), secrets, signature: SIGNATURE, now: NOW });
}

describe('basicAuthScheme', () => {
  it('accepts matching credentials', () => {
    expect(verify(basic(SECRET))).toEqual({ ok: true });
  });

  it('accepts the second of two secrets', () => {
    expect(reasonOf(verify(basic(OLDER)))).toBe('credentials_mismatch');
    expect(verify(basic(OLDER), [SECRET, OLDER]).ok).toBe(true);
  });

  it('rejects a wrong password', () => {
    const result = verify(basic('lumio-hooks:S3nh@-f0rte:com:dois-pontoS'));

    expect(reasonOf(result)).toBe('credentials_mismatch');
    expect(result.ok ? '' : result.message).not.toContain('S3nh@');
  });

  it('rejects a wrong user', () => {
    expect(reasonOf(verify(basic('lumio-hook:S3nh@-f0rte:com:dois-pontos')))).toBe('credentials_mismatch');
  });

  it('rejects a prefix or extension of the secret', () => {
    expect(reasonOf(verify(basic(SECRET.slice(0, -1))))).toBe('credentials_mismatch');
    expect(reasonOf(verify(basic(`${SECRET}x`)))).toBe('credentials_mismatch');
  });

  it('compares UTF-8 credentials', () => {
    const accented = 'usuário:senha-ção-🎉';

    expect(verify(basic(Buffer.from(accented, 'utf8')), [accented]).ok).toBe(true);
    expect(reasonOf(verify(basic(Buffer.from(accented, 'latin1')), [accented]))).toBe('credentials_mismatch');
  });

  it('accepts the scheme name in any case', () => {
    expect(verify(`basic ${Buffer.from(SECRET).toString('base64')}`).ok).toBe(true);
    expect(verify(`BASIC  ${Buffer.from(SECRET).toString('base64')}`).ok).toBe(true);
  });

  it('reports a missing Authorization header', () => {
    expect(reasonOf(verify(undefined))).toBe('header_missing');
    expect(reasonOf(verify(''))).toBe('header_missing');
  });

  it('reports malformed Authorization headers', () => {
    const malformed = [
      'Bearer abc.def',
      'Basic',
      'Basic ',
      'Basic ***',
      basic('no-colon-here'),
      `Basic ${Buffer.from(SECRET).toString('base64')} extra`,
      Buffer.from(SECRET).toString('base64'),
    ];
    for (const value of malformed) {
      expect(reasonOf(verify(value)), value).toBe('header_malformed');
    }
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(basic(SECRET), []))).toBe('secret_missing');
    expect(reasonOf(verify(basic(SECRET), ['']))).toBe('secret_missing');
    expect(reasonOf(verify(basic(':'), ['']))).toBe('secret_missing');
  });

  it('never throws on hostile header values', () => {
    for (const value of hostileValues(400)) {
      expect(() => verify(value)).not.toThrow();
      expect(verify(value).ok).toBe(false);
      expect(verify(`Basic ${value}`).ok).toBe(false);
    }
  });

  it.each(RAW_BYTE_BODIES)('ignores the body with %s', (_name, body) => {
    expect(verify(basic(SECRET), [SECRET], body).ok).toBe(true);
  });

  it('round-trips sign through verify', () => {
    const signed = basicAuthScheme.sign({ secret: OLDER, method: 'POST', url: DELIVERY_URL, body: Buffer.from('{}'), now: NOW, id: 'x', signature: SIGNATURE });

    expect(signed.url).toBe(DELIVERY_URL);
    expect(signed.headers).toEqual({ authorization: `Basic ${Buffer.from(OLDER, 'utf8').toString('base64')}` });
    expect(basicAuthScheme.verify({ request: request({ headers: signed.headers }), secrets: [SECRET, OLDER], signature: SIGNATURE, now: NOW }).ok).toBe(true);
  });

  it('refuses to sign with a secret without a colon', () => {
    let thrown: unknown;
    try {
      basicAuthScheme.sign({ secret: 'password-only', method: 'POST', url: DELIVERY_URL, body: Buffer.alloc(0), now: NOW, id: 'x', signature: SIGNATURE });
    } catch (error) {
      thrown = error;
    }

    expect(isLumioError(thrown) ? thrown.code : thrown).toBe('WEBHOOK_SECRET_INVALID');
  });
});
