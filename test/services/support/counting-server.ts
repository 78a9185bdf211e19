// A provider stand-in for the rate-limit tests across processes: it enforces a sliding-window
// budget itself and records when each accepted request arrived, so a test can check the
// request timeline the provider saw.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Arrival times of the requests it accepted, in milliseconds on this process's monotonic clock. */
  arrivals: number[];
  rejected: number;
  close(): Promise<void>;
}

/**
 * Starts a server on loopback that responds 429 to a request that would be one more than
 * `limit` within `intervalMs`, and does not count it as an arrival.
 */
export async function startCountingServer(budget: { limit: number; intervalMs: number }): Promise<CountingServer> {
  const state = { arrivals: [] as number[], rejected: 0 };
  const server: Server = createServer((_request, response) => {
    const now = performance.now();
    // Arrivals are in time order, so the ones in the window are a suffix; scan it from the end.
    let inWindow = 0;
    for (let index = state.arrivals.length - 1; index >= 0 && state.arrivals[index]! > now - budget.intervalMs; index -= 1) inWindow += 1;
    if (inWindow >= budget.limit) {
      state.rejected += 1;
      response.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    state.arrivals.push(now);
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    arrivals: state.arrivals,
    get rejected() {
      return state.rejected;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Returns the smallest time spanned by `limit + 1` consecutive arrivals; under the limit it is at least one window. */
export function smallestSpan(sortedArrivals: number[], limit: number): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let index = limit; index < sortedArrivals.length; index += 1) {
    smallest = Math.min(smallest, sortedArrivals[index]! - sortedArrivals[index - limit]!);
  }
  return smallest;
}
