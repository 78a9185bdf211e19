import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLumioError } from '../../errors/index.js';
import { NOW, reasonOf, request, runSchemeContract, withoutHeader } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';
import { standardWebhooksScheme } from './standard-webhooks.js';

const SIGNATURE = { scheme: 'standard-webhooks', toleranceSeconds: 300 } as const;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLDER_SECRET = `whsec_${Buffer.from('an older key of 24 bytes').toString('base64')}`;

function signatureOf(secret: string, id: string, seconds: string, body: Buffer): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${seconds}.`, 'utf8').update(body).digest('base64');
}

function deliver({ body, secret, signedAt, id }: DeliveryOptions) {
  const seconds = String(Math.floor(signedAt / 1000));
  return request({
    body,
    headers: { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': `v1,${signatureOf(secret, id, seconds, body)}` },
  });
}

runSchemeContract({
  scheme: standardWebhooksScheme,
  signature: SIGNATURE,
  deliver,
  secrets: [SECRET, OLDER_SECRET],
  wrongSecret: `whsec_${Buffer.from('somebody else entirely!!').toString('base64')}`,
  signatureHeader: 'webhook-signature',
  wrongLengthValue: `v1,${Buffer.alloc(16, 3).toString('base64')}`,
  malformedValues: ['garbage', `v1a,${Buffer.alloc(64).toString('base64')}`, 'v1,***', 'v1,', `v2,${Buffer.alloc(32).toString('base64')}`, Buffer.alloc(32).toString('base64')],
  timed: true,
  timestampHeader: 'webhook-timestamp',
  deliveryIdHeader: 'webhook-id',
});

describe('standardWebhooksScheme', () => {
  // Test vector from the Standard Webhooks specification and its reference libraries.
  const vectorId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const vectorSeconds = '1614265330';
  const vectorBody = Buffer.from('{"test": 2432232314}', 'utf8');
  const vectorSignature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const vectorNow = Number(vectorSeconds) * 1000;
  const verify = (signatureHeader: string, secrets: readonly string[] = [SECRET]) =>
    standardWebhooksScheme.verify({
      request: request({ body: vectorBody, headers: { 'webhook-id': vectorId, 'webhook-timestamp': vectorSeconds, 'webhook-signature': signatureHeader } }),
      secrets,
      signature: SIGNATURE,
      now: vectorNow,
    });

  it('verifies the specification test vector', () => {
    expect(verify(vectorSignature)).toEqual({ ok: true, signedAt: vectorNow, deliveryId: vectorId });
  });

  it('accepts any of several space-separated signatures', () => {
    const other = `v1,${Buffer.alloc(32, 9).toString('base64')}`;

    expect(verify(`${other} ${vectorSignature}`).ok).toBe(true);
    expect(verify(`v1a,${Buffer.alloc(64).toString('base64')} ${vectorSignature} ${other}`).ok).toBe(true);
  });

  it('decodes a secret without the whsec_ prefix as base64', () => {
    expect(verify(vectorSignature, [SECRET.slice('whsec_'.length)]).ok).toBe(true);
  });

  it('reports secrets that are not base64', () => {
    const result = verify(vectorSignature, ['whsec_not*base64!']);

    expect(reasonOf(result)).toBe('secret_missing');
    expect(result.ok ? '' : result.message).toContain('base64');
    expect(verify(vectorSignature, ['whsec_not*base64!', SECRET]).ok).toBe(true);
  });

  it('reports a missing webhook-id', () => {
    const delivery = deliver({ body: vectorBody, secret: SECRET, signedAt: NOW, id: vectorId });
    const result = standardWebhooksScheme.verify({ request: withoutHeader(delivery, 'webhook-id'), secrets: [SECRET], signature: SIGNATURE, now: NOW });

    expect(reasonOf(result)).toBe('header_missing');
  });

  it('signs the webhook id', () => {
    const delivery = deliver({ body: vectorBody, secret: SECRET, signedAt: NOW, id: vectorId });
    const changed = { ...delivery, headers: { ...delivery.headers, 'webhook-id': 'msg_other' } };

    expect(reasonOf(standardWebhooksScheme.verify({ request: changed, secrets: [SECRET], signature: SIGNATURE, now: NOW }))).toBe('signature_mismatch');
  });

  it('reproduces the test vector when signing', () => {
    const signed = standardWebhooksScheme.sign({ secret: SECRET, method: 'POST', url: 'https://x.test/h', body: vectorBody, now: vectorNow, id: vectorId, signature: SIGNATURE });

    expect(signed.headers).toEqual({ 'webhook-id': vectorId, 'webhook-timestamp': vectorSeconds, 'webhook-signature': vectorSignature });
  });

  it('refuses to sign with a secret that is not base64', () => {
    const sign = () =>
      standardWebhooksScheme.sign({ secret: 'whsec_**', method: 'POST', url: 'https://x.test/h', body: vectorBody, now: NOW, id: vectorId, signature: SIGNATURE });

    let thrown: unknown;
    try {
      sign();
    } catch (error) {
      thrown = error;
    }

    expect(isLumioError(thrown) ? thrown.code : thrown).toBe('WEBHOOK_SECRET_INVALID');
  });
});
