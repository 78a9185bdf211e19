import { describe, expect, it } from 'vitest';

import { HostHeaderCheck } from './host-header.js';

describe('HostHeaderCheck', () => {
  it.each(['127.0.0.1:8080', 'hooks.example.test', 'Hooks.Example.TEST', '[::1]:3000', 'localhost'])('accepts %s', (host) => {
    const check = new HostHeaderCheck();
    expect(check.accepts(host)).toBe(true);
    expect(check.accepts(host)).toBe(true);
  });

  // The URL parser rejects these or changes the host name beyond letter case (a host name
  // with upper case and a port too), and @hono/node-server responds to them with 400.
  it.each(['', undefined, '1.2.3', '0x7f.1', 'example.test:99999', 'user@example.test', 'example.test/path', 'example.test:', 'exa mple.test', 'Hooks.Example.TEST:443'])('rejects %s', (host) => {
    expect(new HostHeaderCheck().accepts(host)).toBe(false);
  });
});
