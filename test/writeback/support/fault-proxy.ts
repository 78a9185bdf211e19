import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy did to the batch upserts it saw. */
export interface FaultProxyStats {
  /** Batch upsert requests received, retries included. */
  upserts: number;
  /** Upserts that got a 502 without reaching the simulator, so nothing was written. */
  failedBeforeForwarding: number;
  /** Upserts the simulator applied whose response was replaced by a 502: the records were written. */
  failedAfterForwarding: number;
  /** Inputs removed from upserts and reported as errors in a 207 response. */
  rejectedInputs: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly stats: FaultProxyStats;
  /**
   * Every n-th batch upsert gets a 502, alternating between failing before forwarding and
   * after the simulator applied it (a lost response). 0 turns faults off.
   */
  failEvery: number;
  /**
   * Upsert inputs whose `id` contains this text are left out of the forwarded request and
   * returned as per-record errors of a 207 multi-status response, the way HubSpot reports
   * a batch it applied in part. Undefined turns this off.
   */
  rejectMarker: string | undefined;
  close(): Promise<void>;
}

const UPSERT_PATH = /\/batch\/upsert$/;

/**
 * Starts an HTTP proxy on loopback in front of a simulator, for injecting failures that the
 * simulator's own fault queue cannot: a 502 after the request was applied, and a 207
 * multi-status with per-record errors.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const stats: FaultProxyStats = { upserts: 0, failedBeforeForwarding: 0, failedAfterForwarding: 0, rejectedInputs: 0 };
  let failures = 0;

  // The server reads the settings from this object, which becomes the returned proxy.
  const settings: Pick<FaultProxy, 'failEvery' | 'rejectMarker'> = { failEvery: 0, rejectMarker: undefined };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = request.url ?? '/';
      const isUpsert = request.method === 'POST' && UPSERT_PATH.test(path.split('?')[0] ?? '');
      let fault: 'before' | 'after' | undefined;
      if (isUpsert) {
        stats.upserts += 1;
        if (settings.failEvery > 0 && stats.upserts % settings.failEvery === 0) {
          failures += 1;
          fault = failures % 2 === 1 ? 'after' : 'before';
        }
      }

      if (fault === 'before') {
        stats.failedBeforeForwarding += 1;
        response.writeHead(502, { 'content-type': 'application/json' }).end('{"status":"error","message":"Bad gateway (injected before forwarding)"}');
        return;
      }

      const rejected: string[] = [];
      let forwardedBody = body;
      if (isUpsert && settings.rejectMarker !== undefined) {
        const parsed = JSON.parse(body) as { inputs: { id: string }[] };
        const marker = settings.rejectMarker;
        rejected.push(...parsed.inputs.filter((input) => input.id.includes(marker)).map((input) => input.id));
        forwardedBody = JSON.stringify({ ...parsed, inputs: parsed.inputs.filter((input) => !input.id.includes(marker)) });
      }

      const upstream = await fetch(`${targetUrl}${path}`, {
        method: request.method,
        headers: { authorization: request.headers.authorization ?? '', 'content-type': request.headers['content-type'] ?? 'application/json' },
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : forwardedBody,
      });
      let text = await upstream.text();
      let status = upstream.status;

      if (fault === 'after') {
        stats.failedAfterForwarding += 1;
        response.writeHead(502, { 'content-type': 'application/json' }).end('{"status":"error","message":"Bad gateway (injected after forwarding)"}');
        return;
      }
      if (rejected.length > 0 && status === 200) {
        stats.rejectedInputs += rejected.length;
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const errors = rejected.map((id) => ({ status: 'error', category: 'VALIDATION_ERROR', message: `Email address ${id} is not accepted by this account`, context: { email: [id] } }));
        text = JSON.stringify({ ...parsed, numErrors: errors.length, errors });
        status = 207;
      }

      const headers: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
      upstream.headers.forEach((value, name) => {
        if (name.startsWith('x-hubspot-')) headers[name] = value;
      });
      response.writeHead(status, headers).end(text);
    })().catch((error: unknown) => {
      console.error('fault proxy: request failed', error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(settings, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
