import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { computeBackoffCap, computeDelay } from './compute-delay.js';
import { resolveRetryPolicy } from './retry-policy.js';
import { parseWaitHeader } from './wait-header.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function withHeaders(headers: Record<string, string>): HttpResponse {
  return { status: 429, headers, body: '', rawBody: '', durationMs: 1, url: 'https://api.example.test/' };
}

describe('computeDelay backoff', () => {
  it('doubles the cap up to the maximum', () => {
    const caps = [1, 2, 3, 4, 5, 6, 7].map((attempt) => computeDelay(undefined, attempt, undefined, () => 1));
    expect(caps).toEqual([1000, 2000, 4000, 8000, 16000, 16000, 16000]);
  });

  it('keeps jitter within the cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    for (const fraction of [0, 0.25, 0.5, 0.999]) {
      for (let attempt = 1; attempt <= 6; attempt += 1) {
        const delay = computeDelay(policy, attempt, undefined, () => fraction);
        const cap = computeBackoffCap(resolveRetryPolicy(policy), attempt);
        expect(delay).toBe(Math.round(fraction * cap));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(cap);
      }
    }
  });

  it('clamps a random source outside 0 to 1', () => {
    expect(computeDelay(undefined, 1, undefined, () => 7)).toBe(1000);
    expect(computeDelay(undefined, 1, undefined, () => -1)).toBe(0);
    expect(computeDelay(undefined, 1, undefined, () => Number.NaN)).toBe(1000);
  });

  it('never overflows on late attempts', () => {
    expect(computeDelay(undefined, 2000, undefined, () => 1)).toBe(16000);
  });
});

describe('computeDelay wait header', () => {
  it('honours Retry-After seconds', () => {
    expect(computeDelay(undefined, 1, withHeaders({ 'retry-after': '3' }), () => 0)).toBe(3000);
    expect(computeDelay(undefined, 4, withHeaders({ 'retry-after': '2.5' }), () => 1)).toBe(2500);
    expect(computeDelay(undefined, 1, withHeaders({ 'retry-after': '0' }), () => 1)).toBe(0);
  });

  it('honours a Retry-After HTTP-date', () => {
    const response = withHeaders({ 'retry-after': new Date(NOW + 7000).toUTCString() });
    expect(computeDelay(undefined, 1, response, () => 0, { nowMs: NOW })).toBe(7000);
  });

  it('waits nothing for a past date', () => {
    const response = withHeaders({ 'retry-after': new Date(NOW - 60_000).toUTCString() });
    expect(computeDelay(undefined, 1, response, () => 1, { nowMs: NOW })).toBe(0);
  });

  it('ignores a garbage header', () => {
    for (const value of ['soon', '-5', '1e3', '', '2026-01-15T12:00:07Z', '3 seconds']) {
      expect(computeDelay(undefined, 2, withHeaders({ 'retry-after': value }), () => 0.5), value).toBe(1000);
    }
  });

  it('caps a long header wait', () => {
    expect(computeDelay(undefined, 1, withHeaders({ 'retry-after': '86400' }), () => 1)).toBe(300_000);
    expect(computeDelay(undefined, 1, withHeaders({ 'retry-after': '90' }), () => 1, { maxHeaderDelayMs: 60_000 })).toBe(60_000);
  });

  it('reads the manifest header name', () => {
    const policy = { waitHeader: 'X-RateLimit-Reset-After' };
    const response = withHeaders({ 'x-ratelimit-reset-after': '4', 'retry-after': '9' });
    expect(computeDelay(policy, 1, response, () => 0)).toBe(4000);
  });

  it('reads milliseconds headers by name', () => {
    const response = withHeaders({ 'x-retry-after-ms': '1500', 'x-wait-milliseconds': '250.4' });
    expect(computeDelay({ waitHeader: 'X-Retry-After-Ms' }, 1, response, () => 0)).toBe(1500);
    expect(computeDelay({ waitHeader: 'X-Wait-Milliseconds' }, 1, response, () => 0)).toBe(251);
  });

  it('rejects dates in milliseconds headers', () => {
    const headers = { 'x-retry-after-ms': new Date(NOW + 5000).toUTCString() };
    expect(parseWaitHeader('X-Retry-After-Ms', headers, NOW)).toBeUndefined();
  });
});
