import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { incomingHeaders, readIncomingBody } from './read-incoming.js';

/** Creates a stand-in for Node's IncomingMessage: a byte stream with the header fields the readers use. */
function request(rawHeaders: string[] = []) {
  const stream = new PassThrough();
  const headers: Record<string, string> = {};
  for (let index = 0; index < rawHeaders.length; index += 2) headers[rawHeaders[index]!.toLowerCase()] ??= rawHeaders[index + 1]!;
  return Object.assign(stream, { rawHeaders, headers }) as unknown as IncomingMessage & PassThrough;
}

describe('incomingHeaders', () => {
  it('lowercases and sorts names', () => {
    const headers = incomingHeaders(request(['X-Shopify-Topic', 'orders/create', 'Content-Type', 'application/json', 'accept', '*/*']));
    expect(Object.entries(headers)).toEqual([
      ['accept', '*/*'],
      ['content-type', 'application/json'],
      ['x-shopify-topic', 'orders/create'],
    ]);
  });

  it('joins repeated headers', () => {
    expect(incomingHeaders(request(['X-Tag', 'a', 'x-tag', 'b', 'X-TAG', 'c']))).toEqual({ 'x-tag': 'a, b, c' });
  });

  it('keeps the last Set-Cookie', () => {
    expect(incomingHeaders(request(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']))).toEqual({ 'set-cookie': 'b=2' });
  });

  it('leaves out pseudo-headers', () => {
    expect(incomingHeaders(request([':authority', 'example.test', ':path', '/x', 'host', 'example.test']))).toEqual({ host: 'example.test' });
  });

  it('stores names that match object properties', () => {
    const headers = incomingHeaders(request(['constructor', 'a', 'toString', 'b', 'constructor', 'c']));
    expect(headers.constructor).toBe('a, c');
    expect(headers.tostring).toBe('b');
  });
});

describe('readIncomingBody', () => {
  it('reads every chunk', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 100);
    incoming.write(Buffer.from('{"id":'));
    incoming.end(Buffer.from('1}'));

    expect((await body).toString()).toBe('{"id":1}');
  });

  it('reads an empty body', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 100);
    incoming.end();

    expect((await body).length).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 4);
    incoming.end(Buffer.from('abcd'));

    expect((await body).toString()).toBe('abcd');
  });

  it('rejects a declared length over the limit before reading', async () => {
    const incoming = request(['Content-Length', '101']);
    incoming.headers['content-length'] = '101';

    await expect(readIncomingBody(incoming, 100)).rejects.toMatchObject({ code: 'WEBHOOK_BODY_TOO_LARGE', status: 413, details: { maxBytes: 100 } });
    expect(incoming.listenerCount('data')).toBe(0);
  });

  it('rejects a streamed body once it passes the limit', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 5);
    incoming.write(Buffer.from('abc'));
    incoming.write(Buffer.from('def'));

    await expect(body).rejects.toMatchObject({ code: 'WEBHOOK_BODY_TOO_LARGE', status: 413 });

    // The rest is drained, so the connection can carry the 413 and the next request.
    incoming.end(Buffer.from('ghi'));
    await new Promise((resolve) => incoming.once('end', resolve));
    expect(incoming.readableLength).toBe(0);
  });

  it('ignores a stream error after the body ended', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 100);
    incoming.end(Buffer.from('{"id":1}'));
    expect((await body).toString()).toBe('{"id":1}');

    // A listener still handles the error, so a reset after the response does not crash the process.
    expect(() => incoming.emit('error', new Error('socket hang up'))).not.toThrow();
  });

  it('rejects a body cut off by the client', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 100);
    incoming.write(Buffer.from('{"id"'));
    incoming.destroy();

    await expect(body).rejects.toMatchObject({ code: 'WEBHOOK_BODY_INCOMPLETE', status: 400 });
  });

  it('rejects with a stream error', async () => {
    const incoming = request();
    const body = readIncomingBody(incoming, 100);
    incoming.destroy(new Error('socket hang up'));

    await expect(body).rejects.toThrow('socket hang up');
  });
});
