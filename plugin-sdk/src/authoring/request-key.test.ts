import { describe, expect, it } from 'vitest';

import { requestKey } from './request-key.js';

describe('requestKey', () => {
  it('ignores the order of query parameters', () => {
    expect(requestKey('GET', 'https://api.test/v1/tasks?page=2&per_page=10', undefined)).toBe(requestKey('get', 'https://api.test/v1/tasks?per_page=10&page=2', undefined));
  });

  it('tells paths, values and origins apart', () => {
    const base = requestKey('GET', 'https://api.test/v1/tasks?page=2', undefined);

    expect(requestKey('GET', 'https://api.test/v1/tasks?page=3', undefined)).not.toBe(base);
    expect(requestKey('GET', 'https://api.test/v1/task?page=2', undefined)).not.toBe(base);
    expect(requestKey('GET', 'http://api.test/v1/tasks?page=2', undefined)).not.toBe(base);
    expect(requestKey('POST', 'https://api.test/v1/tasks?page=2', undefined)).not.toBe(base);
  });

  it('matches redacted spots with their placeholders', () => {
    const original = requestKey('GET', 'https://api.test/v1/people/ana%40example.org?api_key=live-123&phone=%2B55%2011%2098765-4321', undefined);
    const redacted = requestKey('GET', 'https://api.test/v1/people/redacted-email-1%40example.com?api_key=redacted-apiKey&phone=%2B12025550101', undefined);

    expect(redacted).toBe(original);
  });

  it('ignores the key order of a JSON body', () => {
    const first = requestKey('POST', 'https://api.test/search', { json: { filter: { since: '2025-01-01' }, limit: 10 } });
    const second = requestKey('POST', 'https://api.test/search', { json: { limit: 10, filter: { since: '2025-01-01' } } });

    expect(second).toBe(first);
    expect(requestKey('POST', 'https://api.test/search', { json: { limit: 11, filter: { since: '2025-01-01' } } })).not.toBe(first);
  });

  it('matches secret body fields whatever their value', () => {
    const live = requestKey('POST', 'https://api.test/token', { form: 'grant_type=refresh_token&refresh_token=rt-live' });
    const recorded = requestKey('POST', 'https://api.test/token', { form: 'refresh_token=redacted-refresh_token-1&grant_type=refresh_token' });

    expect(recorded).toBe(live);
    expect(requestKey('POST', 'https://api.test/token', { json: { client_secret: 'a' } })).toBe(requestKey('POST', 'https://api.test/token', { json: { client_secret: 'b' } }));
  });
});
