import { describe, expect, it } from 'vitest';
import { parseQuotaHeaders } from './quota-headers.js';

const NOW = 1_700_000_000_000;

describe('parseQuotaHeaders: plain', () => {
  const hubspot = {
    format: 'plain' as const,
    remaining: 'X-HubSpot-RateLimit-Remaining',
    limit: 'X-HubSpot-RateLimit-Max',
    intervalMs: 'X-HubSpot-RateLimit-Interval-Milliseconds',
  };

  it('reads HubSpot headers', () => {
    const headers = {
      'x-hubspot-ratelimit-remaining': '37',
      'x-hubspot-ratelimit-max': '100',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    };

    expect(parseQuotaHeaders(hubspot, headers, NOW)).toEqual({ remaining: 37, limit: 100, intervalMs: 10_000 });
  });

  it('matches header names in any case', () => {
    expect(parseQuotaHeaders(hubspot, { 'X-HubSpot-RateLimit-Remaining': '5' }, NOW)).toEqual({ remaining: 5 });
  });

  it('defaults to the plain format', () => {
    expect(parseQuotaHeaders({ remaining: 'X-Left' }, { 'x-left': '0' }, NOW)).toEqual({ remaining: 0 });
  });

  it('ignores invalid numbers', () => {
    const headers = { 'x-hubspot-ratelimit-remaining': '-3', 'x-hubspot-ratelimit-max': 'lots', 'x-hubspot-ratelimit-interval-milliseconds': '' };

    expect(parseQuotaHeaders(hubspot, headers, NOW)).toBeNull();
  });

  it('returns null without quota headers', () => {
    expect(parseQuotaHeaders(undefined, { 'x-hubspot-ratelimit-remaining': '3' }, NOW)).toBeNull();
    expect(parseQuotaHeaders(hubspot, {}, NOW)).toBeNull();
  });
});

describe('parseQuotaHeaders: reset units', () => {
  const cases = [
    { name: 'converts seconds', unit: 'seconds' as const, value: '12', expected: 12_000 },
    { name: 'keeps milliseconds', unit: 'milliseconds' as const, value: '750', expected: 750 },
    { name: 'converts epoch seconds', unit: 'epochSeconds' as const, value: String(NOW / 1000 + 30), expected: 30_000 },
    { name: 'converts epoch milliseconds', unit: 'epochMilliseconds' as const, value: String(NOW + 4500), expected: 4500 },
    { name: 'reads a past reset as zero', unit: 'epochSeconds' as const, value: String(NOW / 1000 - 30), expected: 0 },
  ];

  for (const { name, unit, value, expected } of cases) {
    it(name, () => {
      const reading = parseQuotaHeaders({ remaining: 'X-Left', reset: 'X-Reset', resetUnit: unit }, { 'x-left': '4', 'x-reset': value }, NOW);

      expect(reading).toEqual({ remaining: 4, resetInMs: expected });
    });
  }

  it('defaults the reset unit to seconds', () => {
    expect(parseQuotaHeaders({ reset: 'X-Reset' }, { 'x-reset': '2' }, NOW)).toEqual({ resetInMs: 2000 });
  });
});

describe('parseQuotaHeaders: shopifyCallLimit', () => {
  const shopify = { format: 'shopifyCallLimit' as const, remaining: 'X-Shopify-Shop-Api-Call-Limit' };

  it('reads used of limit', () => {
    expect(parseQuotaHeaders(shopify, { 'x-shopify-shop-api-call-limit': '32/40' }, NOW)).toEqual({ remaining: 8, limit: 40 });
  });

  it('reads a full bucket as zero', () => {
    expect(parseQuotaHeaders(shopify, { 'x-shopify-shop-api-call-limit': '40/40' }, NOW)).toEqual({ remaining: 0, limit: 40 });
  });

  it('ignores a malformed value', () => {
    expect(parseQuotaHeaders(shopify, { 'x-shopify-shop-api-call-limit': '32 of 40' }, NOW)).toBeNull();
  });
});

describe('parseQuotaHeaders: sforceLimitInfo', () => {
  const salesforce = { format: 'sforceLimitInfo' as const, remaining: 'Sforce-Limit-Info' };

  it('reads api-usage', () => {
    expect(parseQuotaHeaders(salesforce, { 'sforce-limit-info': 'api-usage=18/5000' }, NOW)).toEqual({ remaining: 4982, limit: 5000 });
  });

  it('skips the per-app entry', () => {
    const headers = { 'sforce-limit-info': 'per-app-api-usage=17/250(appName=sample-app); api-usage=25/5000' };

    expect(parseQuotaHeaders(salesforce, headers, NOW)).toEqual({ remaining: 4975, limit: 5000 });
  });

  it('reads usage over the limit as zero', () => {
    const headers = { 'sforce-limit-info': 'api-usage=110018/100000; api-bursts=1/750' };

    expect(parseQuotaHeaders(salesforce, headers, NOW)).toEqual({ remaining: 0, limit: 100_000 });
  });

  it('ignores a header without api-usage', () => {
    expect(parseQuotaHeaders(salesforce, { 'sforce-limit-info': 'api-bursts=1/750' }, NOW)).toBeNull();
  });
});
