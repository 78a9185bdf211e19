import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOW, reasonOf, request, runSchemeContract, withoutHeader } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';
import { shopifyScheme } from './shopify.js';

const SIGNATURE = { scheme: 'shopify' } as const;

function deliver({ body, secret, id }: DeliveryOptions) {
  const signature = createHmac('sha256', secret).update(body).digest('base64');
  return request({ body, headers: { 'x-shopify-hmac-sha256': signature, 'x-shopify-webhook-id': id, 'x-shopify-topic': 'orders/paid' } });
}

runSchemeContract({
  scheme: shopifyScheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['shpss_newest0f4c1d', 'shpss_older9b27e3'],
  wrongSecret: 'shpss_someone_else',
  signatureHeader: 'x-shopify-hmac-sha256',
  wrongLengthValue: Buffer.alloc(31, 7).toString('base64'),
  malformedValues: ['garbage!', 'not base64 at all', '====', 'sha256=' + Buffer.alloc(32).toString('base64')],
  timed: false,
  deliveryIdHeader: 'x-shopify-webhook-id',
});

describe('shopifyScheme', () => {
  const secret = 'shpss_newest0f4c1d';
  const body = Buffer.from('{"id":820982911946154508,"email":"jon@example.com"}', 'utf8');

  it('accepts a delivery without a webhook id', () => {
    const result = shopifyScheme.verify({
      request: withoutHeader(deliver({ body, secret, signedAt: NOW, id: 'x' }), 'x-shopify-webhook-id'),
      secrets: [secret],
      signature: SIGNATURE,
      now: NOW,
    });

    expect(result).toEqual({ ok: true, deliveryId: undefined });
  });

  it('rejects a hex signature as malformed', () => {
    const hex = createHmac('sha256', secret).update(body).digest('hex');
    const result = shopifyScheme.verify({
      request: request({ body, headers: { 'x-shopify-hmac-sha256': hex } }),
      secrets: [secret],
      signature: SIGNATURE,
      now: NOW,
    });

    expect(reasonOf(result)).toBe('header_malformed');
  });

  it('declares the manifest content type', () => {
    expect(shopifyScheme.acceptedContentTypes('json')).toEqual(['json']);
  });
});
