import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the receiver got, with the raw body as text. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** Reply of the receiver to one request. `delayMs` holds the response back, to cause timeouts. */
export interface ReceiverReply {
  status: number;
  body?: string;
  delayMs?: number;
}

/** Decides the reply to the request with this index (0 for the first the receiver got). */
export type ReplyPolicy = (request: ReceivedRequest, index: number) => ReceiverReply;

export interface Receiver {
  /** Base URL on loopback, e.g. http://127.0.0.1:53121. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Replaces the reply policy. The default replies 204 to every request. */
  reply(policy: ReplyPolicy): void;
  /** Resolves once `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 that records every request it gets. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let policy: ReplyPolicy = () => ({ status: 204 });
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const index = requests.length;
      requests.push(received);

      const reply = policy(received, index);
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'text/plain' });
        response.end(reply.body ?? '');
      };
      if (!reply.delayMs) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(next) {
      policy = next;
    },
    async waitForRequests(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`The receiver got ${requests.length} of ${count} expected requests within ${timeoutMs} ms.`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return requests.slice(0, count);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `read` until `accept` is true for its value; throws with the last value after `timeoutMs`. */
export async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
