import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkedinScheme } from './linkedin.js';
import { NOW, RAW_BYTE_BODIES, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'linkedin' } as const;
const SECRET = 'WPL_AP1.c9sB3xq0Lm4Tn8Vd.Qz7kYw==';
const OLDER = 'WPL_AP1.a1b2c3d4e5f6g7h8.Zx9wVu==';

function hexHmac(secret: string, ...parts: Array<string | Buffer>): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

function deliver({ body, secret }: DeliveryOptions) {
  return request({ body, headers: { 'content-type': 'application/json', 'x-li-signature': `hmacsha256=${hexHmac(secret, body)}` } });
}

function verify(signatureHeader: string, body: Buffer, secrets: readonly string[] = [SECRET]) {
  return linkedinScheme.verify({ request: request({ body, headers: { 'x-li-signature': signatureHeader } }), secrets, signature: SIGNATURE, now: NOW });
}

runSchemeContract({
  scheme: linkedinScheme,
  signature: SIGNATURE,
  deliver,
  secrets: [SECRET, OLDER],
  wrongSecret: 'WPL_AP1.wrong.secret==',
  signatureHeader: 'x-li-signature',
  wrongLengthValue: `hmacsha256=${'ab'.repeat(20)}`,
  malformedValues: ['garbage', `hmacsha256=${'ab'.repeat(31)}a`, `hmacsha256=${Buffer.alloc(32).toString('base64')}`, `hmacsha256:${'ab'.repeat(32)}`, 'hmacsha256='],
  timed: false,
});

describe('linkedinScheme', () => {
  // A lead notification with LinkedIn's URN colons and an accented name, as raw bytes.
  const body = Buffer.from('{"type":"LEAD_ACTION","leadGenFormResponse":"urn:li:leadGenFormResponse:(urn:li:sponsoredAccount:5,abc)","owner":{"name":"José"}}', 'utf8');

  it('accepts the signature without the prefix', () => {
    expect(verify(hexHmac(SECRET, body), body)).toEqual({ ok: true });
  });

  it('accepts the prefixed-body reading', () => {
    const signedWithPrefix = hexHmac(SECRET, 'hmacsha256=', body);

    expect(verify(signedWithPrefix, body).ok).toBe(true);
    expect(verify(`hmacsha256=${signedWithPrefix}`, body).ok).toBe(true);
    expect(reasonOf(verify(signedWithPrefix, Buffer.concat([body, Buffer.from(' ')])))).toBe('signature_mismatch');
  });

  it('accepts upper-case hex', () => {
    expect(verify(`hmacsha256=${hexHmac(SECRET, body).toUpperCase()}`, body).ok).toBe(true);
  });

  it('rejects a challenge-style HMAC of other text', () => {
    const challengeAnswer = hexHmac(SECRET, '890e4665-4dfe-4ab1-b689-ed553bceeed0');
    expect(reasonOf(verify(challengeAnswer, body))).toBe('signature_mismatch');
  });

  it('keeps the declared content type', () => {
    expect(linkedinScheme.acceptedContentTypes('json')).toEqual(['json']);
  });

  it('rotates secrets for raw-byte bodies', () => {
    for (const [, rawBody] of RAW_BYTE_BODIES) {
      const header = `hmacsha256=${hexHmac(OLDER, rawBody)}`;

      expect(reasonOf(verify(header, rawBody))).toBe('signature_mismatch');
      expect(reasonOf(verify(header, rawBody, ['', SECRET, OLDER]))).toBe('ok');
    }
  });
});
