import { describe, expect, it } from 'vitest';
import { appendQueryParameter, readQueryParameter, signedUrlCandidates } from './twilio-signed-url.js';

describe('signedUrlCandidates', () => {
  it('adds the default port', () => {
    expect(signedUrlCandidates('https://a.test/x?y=1')).toEqual(['https://a.test/x?y=1', 'https://a.test:443/x?y=1']);
    expect(signedUrlCandidates('http://a.test')).toEqual(['http://a.test', 'http://a.test:80']);
    expect(signedUrlCandidates('https://[::1]/x')).toEqual(['https://[::1]/x', 'https://[::1]:443/x']);
  });

  it('removes the default port', () => {
    expect(signedUrlCandidates('https://a.test:443/x')).toEqual(['https://a.test:443/x', 'https://a.test/x']);
    expect(signedUrlCandidates('http://user:pw@a.test:80/x')).toEqual(['http://user:pw@a.test:80/x', 'http://user:pw@a.test/x']);
  });

  it('keeps other ports and URLs', () => {
    expect(signedUrlCandidates('https://a.test:8443/x')).toEqual(['https://a.test:8443/x']);
    expect(signedUrlCandidates('http://a.test:443/x')).toEqual(['http://a.test:443/x']);
    expect(signedUrlCandidates('ftp://a.test/x')).toEqual(['ftp://a.test/x']);
    expect(signedUrlCandidates('garbage')).toEqual(['garbage']);
  });
});

describe('appendQueryParameter', () => {
  it('appends with the right separator', () => {
    expect(appendQueryParameter('https://a.test/x', 'k', 'v')).toBe('https://a.test/x?k=v');
    expect(appendQueryParameter('https://a.test/x?y=1', 'k', 'v')).toBe('https://a.test/x?y=1&k=v');
    expect(appendQueryParameter('https://a.test/x?', 'k', 'v')).toBe('https://a.test/x?k=v');
    expect(appendQueryParameter('https://a.test/x?y=1#f', 'k', 'a b')).toBe('https://a.test/x?y=1&k=a%20b#f');
  });
});

describe('readQueryParameter', () => {
  it('reads every value', () => {
    expect(readQueryParameter('https://a.test/x?k=1&k=2', 'k')).toEqual(['1', '2']);
    expect(readQueryParameter('https://a.test/x', 'k')).toEqual([]);
    expect(readQueryParameter('not a url', 'k')).toBeNull();
  });
});
