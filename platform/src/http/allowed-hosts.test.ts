import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { assertHostAllowed, isHostAllowed } from './allowed-hosts.js';

describe('isHostAllowed', () => {
  it('matches host names case-insensitively', () => {
    expect(isHostAllowed(new URL('https://API.HubApi.com/crm'), ['api.hubapi.com'])).toBe(true);
  });

  it('matches a full URL entry', () => {
    expect(isHostAllowed(new URL('https://acme.myshopify.com/x'), ['https://acme.myshopify.com/admin'])).toBe(true);
  });

  it('applies a port when given', () => {
    expect(isHostAllowed(new URL('http://127.0.0.1:8080/'), ['127.0.0.1:8080'])).toBe(true);
    expect(isHostAllowed(new URL('http://127.0.0.1:9090/'), ['127.0.0.1:8080'])).toBe(false);
    expect(isHostAllowed(new URL('http://127.0.0.1:9090/'), ['127.0.0.1'])).toBe(true);
  });

  it('rejects look-alike hosts', () => {
    expect(isHostAllowed(new URL('https://api.hubapi.com.evil.test/'), ['api.hubapi.com'])).toBe(false);
    expect(isHostAllowed(new URL('https://evilapi.hubapi.com/'), ['api.hubapi.com'])).toBe(false);
  });
});

describe('assertHostAllowed', () => {
  it('raises HOST_NOT_ALLOWED naming the host', () => {
    let caught: unknown;
    try {
      assertHostAllowed(new URL('https://other.test/path?apiKey=secret'), ['api.example.com']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LumioError);
    expect((caught as LumioError).code).toBe('HOST_NOT_ALLOWED');
    expect((caught as LumioError).message).toContain('other.test');
    expect((caught as LumioError).message).not.toContain('secret');
  });
});
