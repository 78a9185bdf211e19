// A loopback HTTP proxy in front of a simulator that adds headers to chosen responses. The
// HubSpot simulator sends no Retry-After on its 429s (its documentation lists the header as
// not reproduced), so a test that needs one adds it here. The simulator's request log stays
// the timeline.
import { Agent, createServer, request as sendRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeaderProxy {
  /** Base URL of the proxy, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** Adds `headers` to the next `count` responses with status `status`. */
  addHeadersTo(status: number, headers: Record<string, string>, count: number): void;
  /** Drops every rule that has not been used up. */
  reset(): void;
  close(): Promise<void>;
}

interface HeaderRule {
  status: number;
  headers: Record<string, string>;
  remaining: number;
}

// Hop-by-hop headers describe one connection, so the proxy never copies them to the other side.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** Starts a proxy on 127.0.0.1 and a free port that forwards every request to `targetUrl`. */
export async function startHeaderProxy(targetUrl: string): Promise<HeaderProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true });
  let rules: HeaderRule[] = [];

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forwarded = sendRequest(
        { agent, host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: copyHeaders(incoming.headers, target.host) },
        (upstream) => {
          const status = upstream.statusCode ?? 502;
          const headers = { ...copyHeaders(upstream.headers), ...takeHeaders(status) };
          outgoing.writeHead(status, headers);
          upstream.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy could not reach ${target.host}: ${error.message}`);
      });
      forwarded.end(Buffer.concat(chunks));
    });
  });

  function takeHeaders(status: number): Record<string, string> {
    const rule = rules.find((candidate) => candidate.status === status && candidate.remaining > 0);
    if (rule === undefined) return {};
    rule.remaining -= 1;
    return rule.headers;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    addHeadersTo(status, headers, count) {
      rules.push({ status, headers, remaining: count });
    },
    reset() {
      rules = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function copyHeaders(source: IncomingHttpHeaders, host?: string): Record<string, string | string[]> {
  const copied: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    copied[name] = value;
  }
  if (host !== undefined) copied.host = host;
  return copied;
}
