import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the test server saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ServerReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

export type RouteHandler = (request: ReceivedRequest, server: JsonApiServer) => ServerReply;

export interface JsonApiServer {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a JSON API on 127.0.0.1 with a free port. Each request is recorded and passed
 * to `handle`; a thrown error becomes a 500 so a test failure shows up as a provider error.
 */
export async function startJsonApiServer(handle: RouteHandler): Promise<JsonApiServer> {
  const requests: ReceivedRequest[] = [];
  // Filled in once the port is known; handlers only run after that.
  const api = { requests } as JsonApiServer;

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);

      let reply: ServerReply;
      try {
        reply = handle(request, api);
      } catch (error) {
        reply = { status: 500, body: { message: String(error) } };
      }
      const isText = typeof reply.body === 'string';
      let body = '';
      if (isText) body = reply.body as string;
      else if (reply.body !== undefined) body = JSON.stringify(reply.body);
      const contentType = isText ? 'text/plain' : 'application/json';
      outgoing.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers });
      outgoing.end(body);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
