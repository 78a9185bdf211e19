import { describe, expect, it } from 'vitest';

import { searchParamsOf } from './webhook-intake.js';

describe('searchParamsOf', () => {
  const targets = [
    '/webhooks/shop/token',
    '/webhooks/shop/token?',
    '/webhooks/shop/token?a=1&b=two',
    '/webhooks/shop/token?a=1&a=2&empty=&flag',
    '/webhooks/shop/token?name=J%C3%BAlia+S&plus=a%2Bb',
    '/webhooks/shop/token?q=caf\u00e9&space=a b',
    '/webhooks/shop/token?a=1#fragment',
    '/webhooks/shop/token?a=%ZZ',
    'http://example.test/webhooks/shop/token?a=1',
  ];

  it.each(targets)('reads %s as URL does', (target) => {
    const expected = [...new URL(target, 'http://webhook.invalid').searchParams];

    expect([...searchParamsOf(target)]).toEqual(expected);
  });
});
