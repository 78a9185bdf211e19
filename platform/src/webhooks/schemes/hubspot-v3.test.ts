import { createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { decodeHubSpotUri } from './hubspot-uri.js';
import { hubspotV3Scheme } from './hubspot-v3.js';
import { DELIVERY_URL, NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'hubspot-v3', toleranceSeconds: 300 } as const;

function signV3(secret: string, method: string, uri: string, body: Buffer, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${uri}`, 'utf8').update(body).update(timestamp, 'utf8').digest('base64');
}

function deliver({ body, secret, signedAt }: DeliveryOptions) {
  const timestamp = String(signedAt);
  return request({
    body,
    headers: { 'x-hubspot-signature-v3': signV3(secret, 'POST', DELIVERY_URL, body, timestamp), 'x-hubspot-request-timestamp': timestamp },
  });
}

runSchemeContract({
  scheme: hubspotV3Scheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['3f5c2a9e-1b7d-4c8e-9f0a-2d6b8e4c1a73', '8b0e7d61-52f4-4a3c-b9e1-7c2d5f8a0e96'],
  wrongSecret: '00000000-0000-0000-0000-000000000000',
  signatureHeader: 'x-hubspot-signature-v3',
  wrongLengthValue: Buffer.alloc(20, 1).toString('base64'),
  malformedValues: ['garbage!', '%%%%', 'ab'.repeat(32), 'v3=' + Buffer.alloc(32).toString('base64')],
  timed: true,
  timestampHeader: 'x-hubspot-request-timestamp',
});

describe('hubspotV3Scheme', () => {
  const secret = '3f5c2a9e-1b7d-4c8e-9f0a-2d6b8e4c1a73';
  const body = Buffer.from('[{"objectId":1246965,"propertyName":"lifecyclestage","propertyValue":"customer"}]', 'utf8');
  const verify = (url: string, headers: Record<string, string>, now = NOW) =>
    hubspotV3Scheme.verify({ request: request({ url, body, headers }), secrets: [secret], signature: SIGNATURE, now });

  it('takes the timestamp in milliseconds', () => {
    const timestamp = String(NOW - 1500);
    const result = verify(DELIVERY_URL, {
      'x-hubspot-signature-v3': signV3(secret, 'POST', DELIVERY_URL, body, timestamp),
      'x-hubspot-request-timestamp': timestamp,
    });

    expect(result).toEqual({ ok: true, signedAt: NOW - 1500 });
  });

  it('rejects a timestamp in seconds', () => {
    const timestamp = String(NOW / 1000);
    const result = verify(DELIVERY_URL, {
      'x-hubspot-signature-v3': signV3(secret, 'POST', DELIVERY_URL, body, timestamp),
      'x-hubspot-request-timestamp': timestamp,
    });

    expect(reasonOf(result)).toBe('timestamp_outside_window');
    expect(result.ok ? '' : result.message).toMatch(/x-hubspot-request-timestamp is read as epoch milliseconds, and its value looks like epoch seconds/i);
  });

  it('gives no unit hint for a stale timestamp', () => {
    const timestamp = String(NOW - 3_600_000);
    const result = verify(DELIVERY_URL, {
      'x-hubspot-signature-v3': signV3(secret, 'POST', DELIVERY_URL, body, timestamp),
      'x-hubspot-request-timestamp': timestamp,
    });

    expect(reasonOf(result)).toBe('timestamp_outside_window');
    expect(result.ok ? '' : result.message).not.toContain('looks like');
  });

  it('uses the manifest tolerance', () => {
    const timestamp = String(NOW - 500_000);
    const headers = { 'x-hubspot-signature-v3': signV3(secret, 'POST', DELIVERY_URL, body, timestamp), 'x-hubspot-request-timestamp': timestamp };
    const verifyWith = (toleranceSeconds: number) =>
      hubspotV3Scheme.verify({ request: request({ body, headers }), secrets: [secret], signature: { scheme: 'hubspot-v3', toleranceSeconds }, now: NOW });

    expect(reasonOf(verifyWith(600))).toBe('ok');
    expect(reasonOf(verifyWith(300))).toBe('timestamp_outside_window');
    expect(reasonOf(hubspotV3Scheme.verify({ request: request({ body, headers }), secrets: [secret], signature: { scheme: 'hubspot-v3' }, now: NOW }))).toBe(
      'timestamp_outside_window',
    );
  });

  it('signs the URI with the listed escapes decoded', () => {
    const url = 'https://hooks.lumio.test/webhooks/hubspot/tok?next=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&tags=a%2Cb%3Bc&who=%40me%21&q=%24%27%28%29%2A&s=a%20b';
    const decoded = "https://hooks.lumio.test/webhooks/hubspot/tok?next=https://a.example/x?y%3D1&tags=a,b;c&who=@me!&q=$'()*&s=a%20b";
    const timestamp = String(NOW);

    expect(verify(url, { 'x-hubspot-signature-v3': signV3(secret, 'POST', decoded, body, timestamp), 'x-hubspot-request-timestamp': timestamp }).ok).toBe(true);
    expect(reasonOf(verify(url, { 'x-hubspot-signature-v3': signV3(secret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': timestamp }))).toBe(
      'signature_mismatch',
    );
  });

  it('agrees with the official client on a plain URL', () => {
    const timestamp = NOW - 2000;
    const expected = Signature.getSignature('POST', 'v3', { clientSecret: secret, url: DELIVERY_URL, requestBody: body.toString('utf8'), timestamp, signature: '' });

    expect(verify(DELIVERY_URL, { 'x-hubspot-signature-v3': expected, 'x-hubspot-request-timestamp': String(timestamp) }).ok).toBe(true);
  });

  it('signs the method', () => {
    const timestamp = String(NOW);
    const headers = { 'x-hubspot-signature-v3': signV3(secret, 'GET', DELIVERY_URL, body, timestamp), 'x-hubspot-request-timestamp': timestamp };

    expect(reasonOf(verify(DELIVERY_URL, headers))).toBe('signature_mismatch');
  });
});

describe('decodeHubSpotUri', () => {
  it('decodes each listed escape in either case', () => {
    expect(decodeHubSpotUri('%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe(":/?@!$'()*,;");
    expect(decodeHubSpotUri('%3a%2f%3f%40%21%24%27%28%29%2a%2c%3b')).toBe(":/?@!$'()*,;");
  });

  it('keeps other escapes encoded', () => {
    expect(decodeHubSpotUri('a%20b%3Dc%26d%2Be%25f%C3%A9')).toBe('a%20b%3Dc%26d%2Be%25f%C3%A9');
  });

  it('decodes only once', () => {
    expect(decodeHubSpotUri('x%253Ay%252F')).toBe('x%253Ay%252F');
    expect(decodeHubSpotUri('%%3A3A')).toBe('%:3A');
  });
});
