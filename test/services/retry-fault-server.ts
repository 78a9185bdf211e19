import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fault server. */
export type Fault =
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Destroys the socket on arrival, so the client sees a connection reset. */
  | { type: 'reset' }
  /** Replies after `delayMs`, for client timeouts. */
  | { type: 'slow'; delayMs: number; status?: number; body?: unknown };

/** One request as the server saw it. */
export interface Arrival {
  /** `performance.now()` at arrival in milliseconds, comparable with the test's own clock. */
  at: number;
  /** `Date.now()` at arrival, for checks against HTTP-dates. */
  wallAt: number;
  method: string;
  path: string;
  /** The `x-request-id` the server sent in its response. */
  requestId: string;
}

export interface FaultServer {
  url: string;
  arrivals: Arrival[];
  /** Queues replies for the next requests, in order. */
  enqueue(...faults: Fault[]): void;
  /** Sets the reply used once the queue is empty. Default: 200 with `{ "ok": true }`. */
  setFallback(fault: Fault): void;
  /** Returns the time between consecutive arrivals, in milliseconds. */
  gaps(): number[];
  /** Forgets arrivals and queued replies and restores the default fallback. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_FALLBACK: Fault = { type: 'status', status: 200, body: { ok: true } };

/** Starts a loopback HTTP server on a free port that replies with scripted faults and records every arrival. */
export async function startFaultServer(): Promise<FaultServer> {
  const arrivals: Arrival[] = [];
  const queue: Fault[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  let fallback = DEFAULT_FALLBACK;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const requestId = `req-${arrivals.length + 1}`;
    arrivals.push({ at: performance.now(), wallAt: Date.now(), method: request.method ?? 'GET', path: request.url ?? '/', requestId });
    const fault = queue.shift() ?? fallback;

    // The request body is not used, but it must be read before replying.
    request.resume();
    if (fault.type === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault.type === 'slow') {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        if (!response.destroyed) reply(response, requestId, fault.status ?? 200, {}, fault.body ?? { ok: true });
      }, fault.delayMs);
      pendingTimers.add(timer);
      return;
    }
    reply(response, requestId, fault.status, fault.headers ?? {}, fault.body ?? {});
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    enqueue: (...faults) => {
      queue.push(...faults);
    },
    setFallback: (fault) => {
      fallback = fault;
    },
    gaps: () => arrivals.slice(1).map((arrival, index) => arrival.at - (arrivals[index] as Arrival).at),
    reset: () => {
      arrivals.length = 0;
      queue.length = 0;
      fallback = DEFAULT_FALLBACK;
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function reply(response: ServerResponse, requestId: string, status: number, headers: Record<string, string>, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...headers });
  response.end(JSON.stringify(body));
}
