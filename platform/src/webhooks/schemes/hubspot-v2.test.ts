import { createHash } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { hubspotV2Scheme } from './hubspot-v2.js';
import { DELIVERY_URL, NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'hubspot-v2' } as const;

function deliver({ body, secret }: DeliveryOptions) {
  const hash = createHash('sha256').update(`${secret}POST${DELIVERY_URL}`, 'utf8').update(body).digest('hex');
  return request({ body, headers: { 'x-hubspot-signature': hash, 'x-hubspot-signature-version': 'v2' } });
}

runSchemeContract({
  scheme: hubspotV2Scheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['3f5c2a9e-1b7d-4c8e-9f0a-2d6b8e4c1a73', '8b0e7d61-52f4-4a3c-b9e1-7c2d5f8a0e96'],
  wrongSecret: '00000000-0000-0000-0000-000000000000',
  signatureHeader: 'x-hubspot-signature',
  wrongLengthValue: 'ab'.repeat(33),
  malformedValues: ['garbage', 'zz'.repeat(32), 'a'.repeat(63), ' ' + 'ab'.repeat(32)],
  timed: false,
});

describe('hubspotV2Scheme', () => {
  // Examples from HubSpot's "Validating requests" guide, also used by the official Node.js client's tests.
  const docsSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const docsUrl = 'https://www.example.com/webhook_uri';
  const verify = (method: string, url: string, body: string, hash: string) =>
    hubspotV2Scheme.verify({
      request: { method, url, body: Buffer.from(body, 'utf8'), headers: { 'x-hubspot-signature': hash, 'x-hubspot-signature-version': 'v2' } },
      secrets: [docsSecret],
      signature: SIGNATURE,
      now: NOW,
    });

  it('verifies the documented GET example', () => {
    expect(verify('GET', docsUrl, '', 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e')).toEqual({ ok: true });
  });

  it('verifies the documented POST example', () => {
    const hash = '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900';

    expect(verify('POST', docsUrl, '{"example_field":"example_value"}', hash)).toEqual({ ok: true });
  });

  it('agrees with the official client', () => {
    const url = `${docsUrl}?portal=62515&app=54321`;
    const body = '[{"objectId":123,"propertyName":"firstname","propertyValue":"João"}]';
    const hash = Signature.getSignature('POST', 'v2', { clientSecret: docsSecret, url, requestBody: body, signature: '' });

    expect(verify('POST', url, body, hash).ok).toBe(true);
  });

  it('signs the method', () => {
    const hash = 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e';

    expect(reasonOf(verify('POST', docsUrl, '', hash))).toBe('signature_mismatch');
  });

  it('signs the URL exactly as addressed', () => {
    const url = `${docsUrl}?a=1&b=2`;
    const hash = createHash('sha256').update(`${docsSecret}GET${url}`, 'utf8').digest('hex');

    expect(verify('GET', url, '', hash).ok).toBe(true);
    expect(reasonOf(verify('GET', `${docsUrl}?b=2&a=1`, '', hash))).toBe('signature_mismatch');
    expect(reasonOf(verify('GET', url.replace('https:', 'http:'), '', hash))).toBe('signature_mismatch');
  });

  it('rejects a v1 version header', () => {
    const result = hubspotV2Scheme.verify({
      request: request({ headers: { 'x-hubspot-signature': 'ab'.repeat(32), 'x-hubspot-signature-version': 'v1' } }),
      secrets: [docsSecret],
      signature: SIGNATURE,
      now: NOW,
    });

    expect(reasonOf(result)).toBe('header_malformed');
  });
});
