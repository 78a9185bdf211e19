import { createHmac, timingSafeEqual } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { decodeSigningSecret, generateSigningSecret, signDelivery } from './signing.js';

/** Standard Webhooks verification written from the specification, independent of signing.ts. */
function verify(secret: string, headers: Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((entry) => {
    const [version, encoded] = entry.split(',');
    const received = Buffer.from(encoded ?? '', 'base64');
    return version === 'v1' && received.length === expected.length && timingSafeEqual(received, expected);
  });
}

describe('generateSigningSecret', () => {
  it('makes whsec_ secrets of 32 random bytes', () => {
    const first = generateSigningSecret();
    const second = generateSigningSecret();

    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), 'base64')).toHaveLength(32);
    expect(first).not.toBe(second);
  });
});

describe('decodeSigningSecret', () => {
  it('returns the base64-decoded key', () => {
    const key = Buffer.alloc(24, 7);

    expect(decodeSigningSecret(`whsec_${key.toString('base64')}`).equals(key)).toBe(true);
  });

  it('rejects secrets without the prefix, bad base64 and wrong lengths', () => {
    const cases = ['my-webhook-secret', `${Buffer.alloc(32).toString('base64')}`, 'whsec_not base64!', `whsec_${Buffer.alloc(23).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`, 42, undefined];
    for (const secret of cases) {
      expect(() => decodeSigningSecret(secret)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', status: 400 }));
    }
  });

  it('never puts the secret in the message', () => {
    const secret = `whsec_${Buffer.alloc(10, 1).toString('base64')}`;
    let message = '';
    try {
      decodeSigningSecret(secret);
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('decodes to 10 bytes');
    expect(message).not.toContain(secret.slice(6));
  });
});

describe('signDelivery', () => {
  it('produces headers an independent verifier accepts', () => {
    const secret = generateSigningSecret();
    const body = '{"type":"sync.completed","timestamp":"2024-05-01T12:00:00.000Z","data":{"ok":true}}';

    const headers = signDelivery(decodeSigningSecret(secret), 'msg_0001', 1_714_564_800, body);

    expect(headers['webhook-id']).toBe('msg_0001');
    expect(headers['webhook-timestamp']).toBe('1714564800');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(secret, { ...headers }, body)).toBe(true);
  });

  it('signatures fail for another body, id, time or key', () => {
    const secret = generateSigningSecret();
    const headers = { ...signDelivery(decodeSigningSecret(secret), 'msg_0001', 1_714_564_800, '{"a":1}') };

    expect(verify(secret, headers, '{"a":2}')).toBe(false);
    expect(verify(secret, { ...headers, 'webhook-id': 'msg_0002' }, '{"a":1}')).toBe(false);
    expect(verify(secret, { ...headers, 'webhook-timestamp': '1714564801' }, '{"a":1}')).toBe(false);
    expect(verify(generateSigningSecret(), headers, '{"a":1}')).toBe(false);
  });
});
