import { describe, expect, it } from 'vitest';

import { matchWebhookTarget } from './webhook-target.js';

describe('matchWebhookTarget', () => {
  it.each([
    ['POST', '/webhooks/shopify/abc_DEF-1~2.3', { connectorId: 'shopify', token: 'abc_DEF-1~2.3' }],
    ['POST', '/webhooks/shopify/abc?x=%20&y=\\z', { connectorId: 'shopify', token: 'abc' }],
    ['POST', '/webhooks/pipedrive', { connectorId: 'pipedrive', token: undefined }],
    ['POST', '/webhooks/pipedrive?company=1', { connectorId: 'pipedrive', token: undefined }],
    ['GET', '/webhooks/meta/abc?hub.mode=subscribe', { connectorId: 'meta', token: 'abc' }],
    ['POST', '/webhooks/a.../...b', { connectorId: 'a...', token: '...b' }],
  ])('matches %s %s', (method, target, expected) => {
    expect(matchWebhookTarget(method, target)).toEqual(expected);
  });

  it.each([
    ['GET', '/webhooks/pipedrive'],
    ['HEAD', '/webhooks/shopify/abc'],
    ['OPTIONS', '/webhooks/shopify/abc'],
    ['PUT', '/webhooks/shopify/abc'],
    ['POST', '/webhooks'],
    ['POST', '/webhooks/'],
    ['POST', '/webhooks?x=1'],
    ['POST', '/webhooks/shopify/'],
    ['POST', '/webhooks/shopify/abc/'],
    ['POST', '/webhooks//shopify/abc'],
    ['POST', '/webhooks/shopify//abc'],
    ['POST', '/webhooks/shopify/abc/extra'],
    ['POST', '/webhooks/./shopify'],
    ['POST', '/webhooks/x/..'],
    ['POST', '/webhooks/%73hopify/abc'],
    ['POST', '/webhooks/shopify/a%2Fb'],
    ['POST', '/webhooks/shopify\\abc'],
    ['POST', '/webhooks/shopify/a#b'],
    ['POST', '/webhooks/shopify/a;b'],
    ['POST', '/webhooks/shopify/a b'],
    ['POST', '/webhooks/shopify/ä'],
    ['POST', 'http://example.test/webhooks/shopify/abc'],
    ['POST', '/v1/webhooks/shopify/abc'],
    ['POST', undefined],
    [undefined, '/webhooks/shopify/abc'],
  ])('leaves %s %s to the router', (method, target) => {
    expect(matchWebhookTarget(method, target)).toBeNull();
  });
});
