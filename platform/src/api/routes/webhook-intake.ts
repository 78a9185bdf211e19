import type { IncomingMessage } from 'node:http';

import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import { isLumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { incomingHeaders, readIncomingBody, readRawBody, type IncomingDelivery, type IntakeReply, type WebhookIntake } from '../../webhooks/index.js';
import { toProblem } from '../problem.js';

/**
 * Provider-facing routes: `POST /webhooks/{connector}/{token}` receives deliveries,
 * `GET` on the same URL serves subscription handshakes, and `POST /webhooks/{connector}`
 * serves providers that name the account inside the payload.
 */
export function webhookIntakeRoutes(intake: WebhookIntake, logger: Logger): Hono {
  const app = new Hono();

  const receive = (method: 'POST' | 'GET') => async (c: Context) => {
    const incoming = toIncoming(c, method);
    try {
      const reply = method === 'GET' ? await intake.handshake(incoming) : await intake.receive(incoming);
      return send(c, reply);
    } catch (error) {
      return sendProblem(c, error, incoming.connectorId, logger);
    }
  };

  app.post('/:connector/:token', receive('POST'));
  app.post('/:connector', receive('POST'));
  app.get('/:connector/:token', receive('GET'));
  return app;
}

/**
 * Describes the delivery for the intake. Behind the Node server, headers and body come
 * straight from Node's request, which is cheaper than building a web Request. In-process
 * calls to `app.fetch`, such as a test delivery, have only the web Request.
 */
function toIncoming(c: Context, method: string): IncomingDelivery {
  const node = nodeRequest(c);
  return {
    connectorId: c.req.param('connector') ?? '',
    token: c.req.param('token'),
    method,
    pathAndQuery: node?.url || webTarget(c),
    headers: node ? incomingHeaders(node) : webHeaders(c.req.raw),
    // The TCP peer address: forwarding headers are ignored, because anyone can set them.
    // NOTE: behind a reverse proxy every delivery comes from the proxy's address, so an
    // allowlist can only be enforced at the proxy.
    sourceIp: node?.socket.remoteAddress,
    readBody: (maxBytes) => (node ? readIncomingBody(node, maxBytes) : readRawBody(c.req.raw, maxBytes)),
  };
}

function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

function webHeaders(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** Returns the request target of a web Request. URL-signed schemes sign these bytes, so Node's raw target is preferred. */
function webTarget(c: Context): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

function send(c: Context, reply: IntakeReply): Response {
  return c.body(reply.body, reply.status as ContentfulStatusCode, { 'content-type': reply.contentType, ...reply.headers });
}

function sendProblem(c: Context, error: unknown, connectorId: string, logger: Logger): Response {
  // The instance leaves out the endpoint token, which works as a credential for the URL.
  const problem = toProblem(error, `/webhooks/${connectorId}`, '');
  delete problem.requestId;
  if (problem.status >= 500) logger.error({ connectorId, code: problem.code, err: error }, 'webhook delivery failed');

  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  const retryAfter = isLumioError(error) ? error.details.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, headers);
}
