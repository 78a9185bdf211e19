import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { githubScheme } from './github.js';
import { NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'github' } as const;

function deliver({ body, secret, id }: DeliveryOptions) {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return request({ body, headers: { 'x-hub-signature-256': signature, 'x-github-delivery': id, 'x-github-event': 'push' } });
}

runSchemeContract({
  scheme: githubScheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['gh-hook-secret-2025', 'gh-hook-secret-2024'],
  wrongSecret: 'gh-hook-secret-other',
  signatureHeader: 'x-hub-signature-256',
  wrongLengthValue: `sha256=${'ab'.repeat(20)}`,
  malformedValues: ['garbage', 'ab'.repeat(32), `sha1=${'ab'.repeat(20)}`, `sha256=${'zz'.repeat(32)}`, 'sha256=', `SHA256=${'ab'.repeat(32)}`],
  timed: false,
  deliveryIdHeader: 'x-github-delivery',
});

describe('githubScheme', () => {
  // Example from GitHub's "Validating webhook deliveries" guide.
  const docsSecret = "It's a Secret to Everybody";
  const docsBody = Buffer.from('Hello, World!', 'utf8');
  const docsSignature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('verifies the documented example', () => {
    const result = githubScheme.verify({
      request: request({ body: docsBody, headers: { 'x-hub-signature-256': docsSignature, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' } }),
      secrets: [docsSecret],
      signature: SIGNATURE,
      now: NOW,
    });

    expect(result).toEqual({ ok: true, deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
  });

  it('rejects the legacy SHA-1 header alone', () => {
    const sha1 = `sha1=${createHmac('sha1', docsSecret).update(docsBody).digest('hex')}`;
    const result = githubScheme.verify({ request: request({ body: docsBody, headers: { 'x-hub-signature': sha1 } }), secrets: [docsSecret], signature: SIGNATURE, now: NOW });

    expect(reasonOf(result)).toBe('header_missing');
  });
});
