import { createHmac } from 'node:crypto';
import type { HmacSignature } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { genericHmacScheme } from './generic-hmac.js';
import { DELIVERY_URL, NOW, reasonOf, request, runSchemeContract, withoutHeader } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const TIMED: HmacSignature = {
  scheme: 'hmac',
  header: 'X-Acme-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: 'sha256=',
  signedContent: '{{ timestamp }}.{{ id }}.{{ body }}',
  timestampHeader: 'X-Acme-Timestamp',
  toleranceSeconds: 90,
  idHeader: 'X-Acme-Delivery',
};

function deliverTimed({ body, secret, signedAt, id }: DeliveryOptions) {
  const seconds = String(Math.floor(signedAt / 1000));
  const digest = createHmac('sha256', secret).update(`${seconds}.${id}.`, 'utf8').update(body).digest('hex');
  return request({ body, headers: { 'x-acme-signature': `sha256=${digest}`, 'x-acme-timestamp': seconds, 'x-acme-delivery': id } });
}

runSchemeContract({
  scheme: genericHmacScheme,
  signature: TIMED,
  deliver: deliverTimed,
  secrets: ['acme-signing-key-new', 'acme-signing-key-old'],
  wrongSecret: 'acme-signing-key-wrong',
  signatureHeader: 'x-acme-signature',
  wrongLengthValue: `sha256=${'ab'.repeat(20)}`,
  malformedValues: ['garbage', 'ab'.repeat(32), `sha1=${'ab'.repeat(32)}`, `sha256=${'zz'.repeat(32)}`, `sha256=${Buffer.alloc(32).toString('base64')}`],
  timed: true,
  timestampHeader: 'x-acme-timestamp',
  deliveryIdHeader: 'x-acme-delivery',
});

describe('genericHmacScheme', () => {
  const secret = 'acme-signing-key-new';
  const body = Buffer.from('{ "event": "invoice.paid", "amount": 1990 }', 'utf8');
  const verify = (signature: HmacSignature, headers: Record<string, string>, fields: { body?: Buffer; method?: string; url?: string } = {}) =>
    genericHmacScheme.verify({ request: request({ body, headers, ...fields }), secrets: [secret], signature, now: NOW });

  it.each([
    ['sha1', 'base64', 20],
    ['sha256', 'base64', 32],
    ['sha512', 'hex', 64],
  ] as const)('verifies %s in %s', (algorithm, encoding, bytes) => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm, encoding, signedContent: '{{ body }}' };
    const digest = createHmac(algorithm, secret).update(body).digest();

    expect(digest).toHaveLength(bytes);
    expect(verify(signature, { 'x-sig': digest.toString(encoding) })).toEqual({ ok: true, signedAt: undefined, deliveryId: undefined });
    expect(reasonOf(verify(signature, { 'x-sig': digest.subarray(1).toString(encoding) }))).toBe('header_malformed');
  });

  it('substitutes method and url', () => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'base64', signedContent: '{{method}} {{ url }}\n{{ body }}' };
    const digest = createHmac('sha256', secret).update(`PUT ${DELIVERY_URL}\n`).update(body).digest('base64');

    expect(verify(signature, { 'x-sig': digest }, { method: 'PUT' }).ok).toBe(true);
    expect(reasonOf(verify(signature, { 'x-sig': digest }, { method: 'POST' }))).toBe('signature_mismatch');
    expect(reasonOf(verify(signature, { 'x-sig': digest }, { method: 'PUT', url: `${DELIVERY_URL}&x=1` }))).toBe('signature_mismatch');
  });

  it('substitutes the body as raw bytes', () => {
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedContent: '<{{ body }}>' };
    const digest = createHmac('sha256', secret).update('<').update(invalidUtf8).update('>').digest('hex');

    expect(verify(signature, { 'x-sig': digest }, { body: invalidUtf8 }).ok).toBe(true);
  });

  it('takes a timestamp in milliseconds', () => {
    const signature: HmacSignature = { ...TIMED, timestampUnit: 'milliseconds', signedContent: '{{ timestamp }}{{ body }}' };
    const milliseconds = String(NOW - 1234);
    const digest = createHmac('sha256', secret).update(milliseconds).update(body).digest('hex');
    const headers = { 'x-acme-signature': `sha256=${digest}`, 'x-acme-timestamp': milliseconds, 'x-acme-delivery': 'd1' };

    expect(verify(signature, headers)).toEqual({ ok: true, signedAt: NOW - 1234, deliveryId: 'd1' });
  });

  it('checks a timestamp that the template does not sign', () => {
    const signature: HmacSignature = { ...TIMED, signedContent: '{{ body }}' };
    const digest = createHmac('sha256', secret).update(body).digest('hex');
    const stale = String(NOW / 1000 - 91);

    expect(reasonOf(verify(signature, { 'x-acme-signature': `sha256=${digest}`, 'x-acme-timestamp': stale }))).toBe('timestamp_outside_window');
  });

  it('skips the timestamp check without a timestamp header', () => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedContent: '{{ body }}' };
    const digest = createHmac('sha256', secret).update(body).digest('hex');

    expect(verify(signature, { 'x-sig': digest, 'x-acme-timestamp': '1' }).ok).toBe(true);
  });

  it('returns the id without signing it', () => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedContent: '{{ body }}', idHeader: 'X-Id' };
    const digest = createHmac('sha256', secret).update(body).digest('hex');

    expect(verify(signature, { 'x-sig': digest, 'x-id': 'evt_9' })).toEqual({ ok: true, signedAt: undefined, deliveryId: 'evt_9' });
    expect(verify(signature, { 'x-sig': digest }).ok).toBe(true);
  });

  it('reports a missing id header the template signs', () => {
    const delivery = deliverTimed({ body, secret, signedAt: NOW, id: 'evt_1' });
    const result = genericHmacScheme.verify({ request: withoutHeader(delivery, 'x-acme-delivery'), secrets: [secret], signature: TIMED, now: NOW });

    expect(reasonOf(result)).toBe('header_missing');
    expect(result.ok ? '' : result.message).toContain('X-Acme-Delivery');
  });

  it('fails clearly on an unknown template name', () => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedContent: '{{ body }}{{ config.secret }}' };
    const result = verify(signature, { 'x-sig': 'ab'.repeat(32) });

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('{{ config.secret }}');
    expect(result.ok ? '' : result.message).toContain('method, url, timestamp, id or body');
  });

  it('fails clearly on a timestamp without its header', () => {
    const signature: HmacSignature = { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', signedContent: '{{ timestamp }}.{{ body }}' };
    const result = verify(signature, { 'x-sig': 'ab'.repeat(32) });

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('timestampHeader');
  });

  it('fails on settings of another scheme', () => {
    const result = genericHmacScheme.verify({ request: request({ headers: {} }), secrets: [secret], signature: { scheme: 'stripe' }, now: NOW });

    expect(result.ok).toBe(false);
  });

  it('signs the id and timestamp headers it declares', () => {
    const signed = genericHmacScheme.sign({ secret, method: 'POST', url: DELIVERY_URL, body, now: NOW + 700, id: 'evt_5', signature: TIMED });
    const seconds = String(NOW / 1000);
    const digest = createHmac('sha256', secret).update(`${seconds}.evt_5.`).update(body).digest('hex');

    expect(signed).toEqual({
      url: DELIVERY_URL,
      headers: { 'x-acme-signature': `sha256=${digest}`, 'x-acme-timestamp': seconds, 'x-acme-delivery': 'evt_5' },
    });
  });

  it('refuses to sign with an unknown template name', () => {
    let thrown: unknown;
    try {
      genericHmacScheme.sign({ secret, method: 'POST', url: DELIVERY_URL, body, now: NOW, id: 'x', signature: { ...TIMED, signedContent: '{{ nonce }}' } });
    } catch (error) {
      thrown = error;
    }

    expect(isLumioError(thrown) ? thrown.code : thrown).toBe('WEBHOOK_SIGNATURE_SETTINGS_INVALID');
  });
});
