import { describe, expect, it } from 'vitest';

import { RateLimiter } from './rate-limiter.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');

describe('rate limiter', () => {
  it('sends HubSpot headers', () => {
    const limiter = new RateLimiter({ maxPerInterval: 100, intervalMs: 10_000, daily: 250_000 });

    const decision = limiter.take('token', T0, false);

    expect(decision.allowed).toBe(true);
    expect(decision.headers).toEqual({
      'X-HubSpot-RateLimit-Daily': '250000',
      'X-HubSpot-RateLimit-Daily-Remaining': '249999',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Max': '100',
      'X-HubSpot-RateLimit-Remaining': '99',
      'X-HubSpot-RateLimit-Secondly': '10',
      'X-HubSpot-RateLimit-Secondly-Remaining': '9',
    });
  });

  it('rejects past the interval maximum', () => {
    const limiter = new RateLimiter({ maxPerInterval: 3, intervalMs: 10_000 });
    const decisions = [0, 1, 2, 3].map((offset) => limiter.take('token', T0 + offset, false));

    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    const last = decisions[3];
    expect(last?.allowed === false ? last.policy : undefined).toBe('TEN_SECONDLY_ROLLING');
    expect(last?.headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
  });

  it('slides the window', () => {
    const limiter = new RateLimiter({ maxPerInterval: 2, intervalMs: 10_000 });
    limiter.take('token', T0, false);
    limiter.take('token', T0 + 5_000, false);

    expect(limiter.take('token', T0 + 9_999, false).allowed).toBe(false);
    expect(limiter.take('token', T0 + 10_000, false).allowed).toBe(true);
    expect(limiter.take('token', T0 + 10_001, false).allowed).toBe(false);
  });

  it('counts tokens separately', () => {
    const limiter = new RateLimiter({ maxPerInterval: 1 });
    limiter.take('first', T0, false);

    expect(limiter.take('first', T0, false).allowed).toBe(false);
    expect(limiter.take('second', T0, false).allowed).toBe(true);
  });

  it('limits searches per second', () => {
    const limiter = new RateLimiter({ searchPerSecond: 5 });
    const searches = Array.from({ length: 6 }, (_, index) => limiter.take('token', T0 + index * 100, true));
    const last = searches[5];

    expect(searches.slice(0, 5).every((decision) => decision.allowed)).toBe(true);
    expect(last?.allowed === false ? last.policy : undefined).toBe('SECONDLY');
    expect(limiter.take('token', T0 + 500, false).allowed).toBe(true);
    expect(limiter.take('token', T0 + 1001, true).allowed).toBe(true);
  });

  it('omits headers on search by default', () => {
    const quiet = new RateLimiter();
    const loud = new RateLimiter({ searchHeaders: true });

    expect(quiet.take('token', T0, true).headers).toEqual({});
    expect(loud.take('token', T0, true).headers['X-HubSpot-RateLimit-Max']).toBe('100');
  });

  it('omits daily headers for OAuth', () => {
    const headers = new RateLimiter({ daily: false }).take('token', T0, false).headers;

    expect(Object.keys(headers)).not.toContain('X-HubSpot-RateLimit-Daily');
    expect(Object.keys(headers)).not.toContain('X-HubSpot-RateLimit-Daily-Remaining');
  });

  it('enforces and resets the daily limit', () => {
    const limiter = new RateLimiter({ daily: 2, maxPerInterval: 100 });
    limiter.take('token', T0, false);
    limiter.take('token', T0 + 20_000, false);
    const third = limiter.take('token', T0 + 40_000, false);

    expect(third.allowed === false ? third.policy : undefined).toBe('DAILY');
    expect(limiter.take('token', Date.parse('2025-03-02T00:00:00.000Z'), false).allowed).toBe(true);
  });
});
