import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';
import { parseStripeSignature, stripeScheme } from './stripe.js';

const SIGNATURE = { scheme: 'stripe', toleranceSeconds: 300 } as const;
const SECRET = 'whsec_5f0c8e1b2a7d4c9e8f3a6b1d0e7c2a94';

function hmacHex(secret: string, seconds: string, body: Buffer): string {
  return createHmac('sha256', secret).update(`${seconds}.`, 'utf8').update(body).digest('hex');
}

function deliver({ body, secret, signedAt }: DeliveryOptions) {
  const seconds = String(Math.floor(signedAt / 1000));
  return request({ body, headers: { 'stripe-signature': `t=${seconds},v1=${hmacHex(secret, seconds, body)}` } });
}

const validHex = 'ab'.repeat(32);
const nowSeconds = String(NOW / 1000);

runSchemeContract({
  scheme: stripeScheme,
  signature: SIGNATURE,
  deliver,
  secrets: [SECRET, 'whsec_0b7e2f4a9c1d8e3b6a5f0c2d7e9b1a48'],
  wrongSecret: 'whsec_not_this_endpoint',
  signatureHeader: 'stripe-signature',
  wrongLengthValue: `t=${nowSeconds},v1=${'ab'.repeat(20)}`,
  malformedValues: [
    'garbage',
    `t=${nowSeconds}`,
    `v1=${validHex}`,
    `t=${nowSeconds},v0=${validHex}`,
    `t=${nowSeconds},v1=${'zz'.repeat(32)}`,
    `t=${nowSeconds},t=${nowSeconds},v1=${validHex}`,
    `t=${nowSeconds},v1`,
    `t=soon,v1=${validHex}`,
    `t=-1,v1=${validHex}`,
    `t=${nowSeconds}.5,v1=${validHex}`,
  ],
  timed: true,
});

describe('stripeScheme', () => {
  const body = Buffer.from('{\n  "id": "evt_1PqZ",\n  "object": "event",\n  "type": "invoice.paid"\n}', 'utf8');
  const verify = (header: string, secrets: readonly string[] = [SECRET]) =>
    stripeScheme.verify({ request: request({ body, headers: { 'stripe-signature': header } }), secrets, signature: SIGNATURE, now: NOW });

  it('accepts any of several v1 signatures', () => {
    const good = hmacHex(SECRET, nowSeconds, body);
    const other = hmacHex('whsec_previous_secret', nowSeconds, body);

    expect(verify(`t=${nowSeconds},v1=${other},v1=${good}`)).toEqual({ ok: true, signedAt: NOW });
    expect(verify(`t=${nowSeconds},v1=${good},v1=${other}`).ok).toBe(true);
  });

  it('ignores v0 and unknown keys', () => {
    const good = hmacHex(SECRET, nowSeconds, body);

    expect(verify(`t=${nowSeconds},v1=${good},v0=${'cd'.repeat(32)},v9=anything`).ok).toBe(true);
  });

  it('rejects a valid v0 without v1', () => {
    const good = hmacHex(SECRET, nowSeconds, body);

    expect(reasonOf(verify(`t=${nowSeconds},v0=${good}`))).toBe('header_malformed');
  });

  it('accepts spaces around items', () => {
    expect(verify(` t=${nowSeconds} , v1=${hmacHex(SECRET, nowSeconds, body)} `).ok).toBe(true);
  });

  it('signs the timestamp', () => {
    const earlier = String(NOW / 1000 - 1);

    expect(reasonOf(verify(`t=${earlier},v1=${hmacHex(SECRET, nowSeconds, body)}`))).toBe('signature_mismatch');
  });

  it('keys the HMAC with the whole whsec_ secret', () => {
    const withoutPrefix = hmacHex(SECRET.slice('whsec_'.length), nowSeconds, body);

    expect(reasonOf(verify(`t=${nowSeconds},v1=${withoutPrefix}`))).toBe('signature_mismatch');
  });

  it('emits the header Stripe sends', () => {
    const signed = stripeScheme.sign({ secret: SECRET, method: 'POST', url: 'https://x.test/h', body, now: NOW + 999, id: 'unused', signature: SIGNATURE });

    expect(signed.headers).toEqual({ 'stripe-signature': `t=${nowSeconds},v1=${hmacHex(SECRET, nowSeconds, body)}` });
  });
});

describe('parseStripeSignature', () => {
  it('collects the timestamp and v1 signatures', () => {
    const parsed = parseStripeSignature(`t=1716206400,v1=${validHex},v0=${validHex},v1=${'cd'.repeat(32)}`);

    expect(parsed?.timestamp).toBe('1716206400');
    expect(parsed?.signatures.map((signature) => signature.toString('hex'))).toEqual([validHex, 'cd'.repeat(32)]);
  });

  it('skips v1 values that are not SHA-256 hex', () => {
    const parsed = parseStripeSignature(`t=1,v1=nothex,v1=${validHex}`);

    expect(parsed?.signatures).toHaveLength(1);
  });

  it('returns null for an item without a key', () => {
    expect(parseStripeSignature(`t=1,=x,v1=${validHex}`)).toBeNull();
  });
});
