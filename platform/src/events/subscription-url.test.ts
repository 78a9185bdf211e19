import { describe, expect, it } from 'vitest';

import { checkSubscriptionUrl, MAX_URL_LENGTH, type ResolveHost } from './subscription-url.js';

/** Creates a resolver with fixed results, so no test sends a DNS query. */
function fixedResolver(answers: Record<string, string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address }));
  };
}

const resolve = fixedResolver({
  'hooks.example.com': ['93.184.215.14'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.215.14', '192.168.1.5'],
  'metadata.example.com': ['169.254.169.254'],
  'v6.example.com': ['::1'],
  'empty.example.com': [],
});
const guarded = { allowPrivateNetwork: false, resolve };

describe('checkSubscriptionUrl', () => {
  it('accepts https and http URLs with public hosts', async () => {
    expect(await checkSubscriptionUrl('https://hooks.example.com/lumio?tenant=7', guarded)).toBe('https://hooks.example.com/lumio?tenant=7');
    expect(await checkSubscriptionUrl('http://hooks.example.com/lumio', guarded)).toBe('http://hooks.example.com/lumio');
    expect(await checkSubscriptionUrl('https://93.184.215.14/in', guarded)).toBe('https://93.184.215.14/in');
  });

  it('rejects private, loopback and metadata hosts', async () => {
    const cases = [
      ['https://internal.example.com/in', 'private network'],
      ['https://mixed.example.com/in', 'private network'],
      ['https://metadata.example.com/in', 'link-local'],
      ['https://v6.example.com/in', 'loopback'],
      ['http://127.0.0.1:8080/in', 'loopback'],
      ['http://[::1]:8080/in', 'loopback'],
      ['http://169.254.169.254/latest', 'link-local'],
      ['http://[::ffff:10.0.0.1]/in', 'IPv4-mapped private network'],
    ];
    for (const [url, range] of cases) {
      await expect(checkSubscriptionUrl(url, guarded)).rejects.toMatchObject({ code: 'DESTINATION_NOT_ALLOWED', status: 422, details: { field: 'url', range } });
    }
  });

  it('allows private hosts when the operator does', async () => {
    expect(await checkSubscriptionUrl('http://127.0.0.1:8080/in', { allowPrivateNetwork: true, resolve })).toBe('http://127.0.0.1:8080/in');
  });

  it('rejects hosts that do not resolve', async () => {
    await expect(checkSubscriptionUrl('https://nowhere.example.com/in', guarded)).rejects.toMatchObject({ code: 'EVENT_SUBSCRIPTION_HOST_UNRESOLVED', status: 422 });
    await expect(checkSubscriptionUrl('https://empty.example.com/in', guarded)).rejects.toMatchObject({ code: 'EVENT_SUBSCRIPTION_HOST_UNRESOLVED' });
  });

  it('rejects malformed URLs before resolving', async () => {
    const cases = [
      [undefined, 'FIELD_REQUIRED'],
      ['', 'FIELD_REQUIRED'],
      [42, 'FIELD_REQUIRED'],
      ['hooks.example.com/in', 'FIELD_INVALID'],
      ['ftp://hooks.example.com/in', 'FIELD_INVALID'],
      ['https://user:pass@hooks.example.com/in', 'FIELD_INVALID'],
      ['https://hooks.example.com/in#part', 'FIELD_INVALID'],
      [`https://hooks.example.com/${'a'.repeat(MAX_URL_LENGTH)}`, 'FIELD_INVALID'],
    ];
    for (const [url, code] of cases) {
      await expect(checkSubscriptionUrl(url, { allowPrivateNetwork: true, resolve })).rejects.toMatchObject({ code, status: 400, details: { field: 'url' } });
    }
  });
});
