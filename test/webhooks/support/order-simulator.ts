import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for a shop API on loopback: `GET /orders/{id}.json` returns `{ "order": … }`. */
export interface OrderSimulator {
  url: string;
  /** Stores an order, served from then on. */
  put(order: { id: number } & Record<string, unknown>): void;
  /** Makes the next `count` reads of an order return 503, as during a provider outage. */
  failNext(id: number, count: number): void;
  /** Number of reads of an order so far, failed ones included. */
  reads(id: number): number;
  close(): Promise<void>;
}

const ORDER_PATH = /^\/orders\/(\d+)\.json$/;

export async function startOrderSimulator(): Promise<OrderSimulator> {
  const orders = new Map<number, Record<string, unknown>>();
  const failures = new Map<number, number>();
  const readCounts = new Map<number, number>();

  const server: Server = createServer((request, response) => {
    const match = request.method === 'GET' ? ORDER_PATH.exec(request.url ?? '') : null;
    if (!match) return reply(response, 404, { message: 'Not found' });

    const id = Number(match[1]);
    readCounts.set(id, (readCounts.get(id) ?? 0) + 1);

    const failuresLeft = failures.get(id) ?? 0;
    if (failuresLeft > 0) {
      failures.set(id, failuresLeft - 1);
      return reply(response, 503, { message: 'Service temporarily unavailable' });
    }

    const order = orders.get(id);
    return order ? reply(response, 200, { order }) : reply(response, 404, { message: 'Order not found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    put: (order) => orders.set(order.id, order),
    failNext: (id, count) => failures.set(id, count),
    reads: (id) => readCounts.get(id) ?? 0,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The platform's HTTP client keeps connections alive; close them so close() returns.
        server.closeAllConnections();
      }),
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
