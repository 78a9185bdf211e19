import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { computeHmac } from './hmac.js';

describe('computeHmac', () => {
  it('uses a text key as its UTF-8 bytes', () => {
    const key = 'sécret-🔑';
    const expected = createHmac('sha256', Buffer.from(key, 'utf8')).update('a').update(Buffer.from('b')).digest();

    expect(computeHmac('sha256', key, 'a', Buffer.from('b')).equals(expected)).toBe(true);
  });

  it('gives the same digest for a key used again', () => {
    const first = computeHmac('sha1', 'repeated-key', 'body');
    const second = computeHmac('sha1', 'repeated-key', 'body');

    expect(second.equals(first)).toBe(true);
    expect(second.equals(createHmac('sha1', 'repeated-key').update('body').digest())).toBe(true);
  });

  it('tells keys apart', () => {
    expect(computeHmac('sha512', 'key-a', 'body').equals(computeHmac('sha512', 'key-b', 'body'))).toBe(false);
  });

  it('accepts an empty text key as Node does', () => {
    expect(computeHmac('sha256', '', 'body').equals(createHmac('sha256', '').update('body').digest())).toBe(true);
  });
});
