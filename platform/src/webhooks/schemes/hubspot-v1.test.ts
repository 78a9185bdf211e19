import { createHash, createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { hubspotV1Scheme } from './hubspot-v1.js';
import { NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'hubspot-v1' } as const;

function deliver({ body, secret }: DeliveryOptions) {
  const hash = createHash('sha256').update(secret, 'utf8').update(body).digest('hex');
  return request({ body, headers: { 'x-hubspot-signature': hash, 'x-hubspot-signature-version': 'v1' } });
}

runSchemeContract({
  scheme: hubspotV1Scheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['3f5c2a9e-1b7d-4c8e-9f0a-2d6b8e4c1a73', '8b0e7d61-52f4-4a3c-b9e1-7c2d5f8a0e96'],
  wrongSecret: '00000000-0000-0000-0000-000000000000',
  signatureHeader: 'x-hubspot-signature',
  wrongLengthValue: 'ab'.repeat(31),
  malformedValues: ['garbage', 'zz'.repeat(32), 'abc', 'sha256=' + 'ab'.repeat(32)],
  timed: false,
});

describe('hubspotV1Scheme', () => {
  // Example from HubSpot's "Validating requests" guide, also used by the official Node.js client's tests.
  const docsSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const docsBody =
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
  const docsHash = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
  const verify = (headers: Record<string, string>, body = docsBody) =>
    hubspotV1Scheme.verify({ request: request({ body: Buffer.from(body, 'utf8'), headers }), secrets: [docsSecret], signature: SIGNATURE, now: NOW });

  it('verifies the documented example', () => {
    expect(verify({ 'x-hubspot-signature': docsHash, 'x-hubspot-signature-version': 'v1' })).toEqual({ ok: true });
  });

  it('agrees with the official client', () => {
    const expected = Signature.getSignature('POST', 'v1', { clientSecret: docsSecret, requestBody: docsBody, signature: '' });

    expect(expected).toBe(docsHash);
    expect(verify({ 'x-hubspot-signature': expected }).ok).toBe(true);
  });

  it('accepts a missing version header', () => {
    expect(verify({ 'x-hubspot-signature': docsHash }).ok).toBe(true);
  });

  it('rejects another signature version', () => {
    const result = verify({ 'x-hubspot-signature': docsHash, 'x-hubspot-signature-version': 'v2' });

    expect(reasonOf(result)).toBe('header_malformed');
    expect(result.ok ? '' : result.message).toContain('v1');
  });

  it('accepts upper-case hex', () => {
    expect(verify({ 'x-hubspot-signature': docsHash.toUpperCase() }).ok).toBe(true);
  });

  it('rejects an HMAC in place of the plain hash', () => {
    const hmac = createHmac('sha256', docsSecret).update(docsBody).digest('hex');

    expect(reasonOf(verify({ 'x-hubspot-signature': hmac }))).toBe('signature_mismatch');
  });
});
