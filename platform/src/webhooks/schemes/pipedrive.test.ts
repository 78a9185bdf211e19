import { describe, expect, it } from 'vitest';
import { pipedriveScheme } from './pipedrive.js';
import { NOW, RAW_BYTE_BODIES, hostileValues, reasonOf, request } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'pipedrive' } as const;
const SECRET = 'lumio:Pd-9xQ2@v7';
const OLDER = 'lumio:previous-password';
const BODY = Buffer.from('{"meta":{"action":"change","entity":"person","entity_id":"11","version":"2.0"},"data":{"id":11}}');

function basic(credentials: string | Buffer): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

function verify(authorization: string | undefined, secrets: readonly string[] = [SECRET], body: Buffer = BODY) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return pipedriveScheme.verify({ request: request({ headers, body }), secrets, signature: SIGNATURE, now: NOW });
}

describe('pipedriveScheme', () => {
  it('accepts matching credentials', () => {
    expect(pipedriveScheme.name).toBe('pipedrive');
    expect(verify(basic(SECRET))).toEqual({ ok: true });
    expect(verify(`basic   ${Buffer.from(SECRET).toString('base64')}`).ok).toBe(true);
  });

  it('keeps the declared content type', () => {
    expect(pipedriveScheme.acceptedContentTypes('json')).toEqual(['json']);
  });

  it('accepts the second of two secrets', () => {
    expect(reasonOf(verify(basic(OLDER)))).toBe('credentials_mismatch');
    expect(verify(basic(OLDER), [SECRET, OLDER]).ok).toBe(true);
  });

  it('rejects wrong credentials', () => {
    const result = verify(basic('lumio:Pd-9xQ2@v8'));

    expect(result.ok ? '' : result.reason).toBe('credentials_mismatch');
    expect(result.ok ? '' : result.message).not.toContain('Pd-9xQ2');
    expect(reasonOf(verify(basic('lumio2:Pd-9xQ2@v7')))).toBe('credentials_mismatch');
    expect(reasonOf(verify(basic('lumio:Pd-9xQ2@v7 ')))).toBe('credentials_mismatch');
  });

  it('reports a missing header', () => {
    expect(verify(undefined)).toEqual({ ok: false, reason: 'header_missing', message: 'The Authorization header is missing.' });
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(basic(SECRET), []))).toBe('secret_missing');
    expect(reasonOf(verify(basic(SECRET), ['']))).toBe('secret_missing');
  });

  it('reports malformed headers', () => {
    for (const value of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, basic(SECRET).replace('Basic', 'Digest')]) {
      expect(reasonOf(verify(value)), value).toBe('header_malformed');
    }
  });

  it('ignores the body bytes', () => {
    for (const [, body] of RAW_BYTE_BODIES) {
      expect(verify(basic(SECRET), [SECRET], body).ok).toBe(true);
    }
  });

  it('never throws on hostile headers', () => {
    for (const value of hostileValues(200)) {
      expect(() => verify(value)).not.toThrow();
      expect(() => verify(`Basic ${value}`)).not.toThrow();
      expect(verify(`Basic ${value}`).ok).toBe(false);
    }
  });

  it('signs with Basic credentials', () => {
    const signed = pipedriveScheme.sign({ secret: SECRET, method: 'POST', url: 'https://hooks.lumio.test/p', body: BODY, now: NOW, id: 'x', signature: SIGNATURE });

    expect(signed.headers).toEqual({ authorization: `Basic ${Buffer.from(SECRET, 'utf8').toString('base64')}` });
    expect(verify(signed.headers.authorization).ok).toBe(true);
  });
});
