import { describe, expect, it } from 'vitest';
import { mailchimpScheme } from './mailchimp.js';
import { NOW, hostileValues, reasonOf, request } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'mailchimp' } as const;
const SECRET = 'mc-7Hq2_xV9pL0';
const OLDER = 'old secret/with+symbols&=';
const BASE = 'https://hooks.lumio.test/webhooks/mailchimp/tok_5c';
const BODY = Buffer.from('type=subscribe&fired_at=2025-05-20+12%3A00%3A00&data%5Bemail%5D=ana%40example.com&data%5Bmerges%5D%5BFNAME%5D=Jo%C3%A3o');

function verify(url: string, secrets: readonly string[] = [SECRET], body: Buffer = BODY) {
  return mailchimpScheme.verify({ request: request({ url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), secrets, signature: SIGNATURE, now: NOW });
}

describe('mailchimpScheme', () => {
  it('accepts the URL secret', () => {
    expect(verify(`${BASE}?secret=${SECRET}`)).toEqual({ ok: true });
    expect(verify(`${BASE}?list=1&secret=${SECRET}`).ok).toBe(true);
  });

  it('accepts only form bodies', () => {
    expect(mailchimpScheme.name).toBe('mailchimp');
    expect(mailchimpScheme.acceptedContentTypes('form')).toEqual(['form']);
    expect(mailchimpScheme.acceptedContentTypes('json')).toEqual(['form']);
  });

  it('accepts the second of two secrets', () => {
    const url = `${BASE}?secret=${encodeURIComponent(OLDER)}`;

    expect(reasonOf(verify(url))).toBe('credentials_mismatch');
    expect(verify(url, [SECRET, OLDER]).ok).toBe(true);
  });

  it('rejects a wrong or missing secret', () => {
    const wrong = verify(`${BASE}?secret=${SECRET}x`);

    expect(reasonOf(wrong)).toBe('credentials_mismatch');
    expect(wrong.ok ? '' : wrong.message).not.toContain(SECRET);
    expect(reasonOf(verify(BASE))).toBe('credentials_mismatch');
    expect(reasonOf(verify(`${BASE}?secret=`))).toBe('credentials_mismatch');
    expect(reasonOf(verify(`${BASE}?secret=${SECRET}&secret=${SECRET}`))).toBe('credentials_mismatch');
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(`${BASE}?secret=${SECRET}`, []))).toBe('secret_missing');
    expect(reasonOf(verify(`${BASE}?secret=`, ['']))).toBe('secret_missing');
  });

  it('ignores the body bytes', () => {
    const bodies = ['', 'data[merges][FNAME]=a%C3%A7%C3%A3o', `note=${encodeURIComponent('🎉')}`, 'raw=ação'];
    for (const body of bodies) {
      expect(verify(`${BASE}?secret=${SECRET}`, [SECRET], Buffer.from(body)).ok).toBe(true);
    }
  });

  it('never throws on hostile URLs', () => {
    for (const value of hostileValues(200)) {
      expect(() => verify(`${BASE}?secret=${value}`)).not.toThrow();
      expect(verify(value).ok).toBe(false);
    }
  });

  it('signs by adding the secret to the URL', () => {
    const signed = mailchimpScheme.sign({ secret: OLDER, method: 'POST', url: `${BASE}?list=1`, body: BODY, now: NOW, id: 'x', signature: SIGNATURE });

    expect(signed).toEqual({ headers: {}, url: `${BASE}?list=1&secret=${encodeURIComponent(OLDER)}` });
    expect(verify(signed.url, [SECRET, OLDER]).ok).toBe(true);
  });
});
