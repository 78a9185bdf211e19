import type { IncomingMessage, ServerResponse } from 'node:http';

/** Maximum bytes of an unread request body that are read and dropped after the response. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 500;

/**
 * Reads and drops the rest of a request body once the response is sent, such as a body
 * rejected with 404 or 413 before it was read, so the keep-alive connection can carry the
 * next request. A body above MAX_DRAIN_BYTES, or one still arriving after DRAIN_TIMEOUT_MS,
 * ends the connection instead. The limits are those of @hono/node-server 1.19, which
 * serves every other route, so both paths treat a client alike.
 */
export function drainAfterResponse(incoming: IncomingMessage, outgoing: ServerResponse): void {
  let started = false;
  const drain = () => {
    if (started || incoming.readableEnded || incoming.destroyed) return;
    started = true;

    let bytes = 0;
    const stop = () => {
      clearTimeout(timer);
      incoming.off('data', count);
      incoming.off('end', stop);
      incoming.off('error', stop);
    };
    const closeConnection = () => {
      stop();
      if (!incoming.socket.destroyed) incoming.socket.destroySoon();
    };
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_DRAIN_BYTES) closeConnection();
    };

    const timer = setTimeout(closeConnection, DRAIN_TIMEOUT_MS);
    timer.unref();
    incoming.on('data', count);
    incoming.on('end', stop);
    incoming.on('error', stop);
    incoming.resume();
  };

  outgoing.once('finish', drain);
  outgoing.once('close', drain);
}
