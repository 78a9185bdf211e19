import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import { isLumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import {
  drainAfterResponse,
  HostHeaderCheck,
  incomingHeaders,
  matchWebhookTarget,
  readIncomingBody,
  readRawBody,
  type IncomingDelivery,
  type IntakeReply,
  type WebhookIntake,
} from '../../webhooks/index.js';
import { toProblem } from '../problem.js';

/** The Node request and response under @hono/node-server; absent for in-process `app.fetch` calls. */
interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

/**
 * Provider-facing routes: `POST /webhooks/{connector}/{token}` receives deliveries,
 * `GET` on the same URL serves subscription handshakes, and `POST /webhooks/{connector}`
 * serves providers that name the account inside the payload.
 *
 * The API mounts these routes before its own middleware, so they set `x-request-id`
 * themselves: the one the provider sent, or a new one. Behind the Node server they write
 * the response straight to Node's ServerResponse, which skips building a Fetch Response
 * and copying its headers back into Node's response.
 */
export function webhookIntakeRoutes(intake: WebhookIntake, logger: Logger): Hono {
  const app = new Hono();

  const receive = (method: 'POST' | 'GET') => async (c: Context) => {
    const node = c.env as NodeBindings | undefined;
    const requestId = readRequestId(c, node?.incoming);
    const incoming = toIncoming(c, method, node?.incoming);
    const reply = await answer(intake, incoming, requestId, logger);
    return send(c, node?.outgoing, reply, requestId);
  };

  app.post('/:connector/:token', receive('POST'));
  app.post('/:connector', receive('POST'));
  app.get('/:connector/:token', receive('GET'));
  return app;
}

/** Handles a request on Node's server before the API's router receives it, or returns false to pass it on. */
export type NodeRequestHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/**
 * Serves provider deliveries straight from Node's server, without building the Hono
 * context, Request and URL that the routes above need. It takes only requests those routes
 * would match as they are: POST or GET, a plain path that needs no decoding, and a Host
 * header the server accepts. Everything else, such as HEAD, OPTIONS, `%` escapes, dot
 * segments, double or trailing slashes, returns false and goes through the router, which
 * responds to it as before. Replies, headers and logs are those of `webhookIntakeRoutes`.
 */
export function nodeWebhookHandler(intake: WebhookIntake, logger: Logger): NodeRequestHandler {
  const hosts = new HostHeaderCheck();

  return (node, outgoing) => {
    const target = matchWebhookTarget(node.method, node.url);
    if (!target || !hosts.accepts(node.headers.host)) return false;

    // @hono/node-server drains unread bodies of every method but GET and HEAD.
    if (node.method === 'POST') drainAfterResponse(node, outgoing);
    const sent = node.headers['x-request-id'];
    const requestId = typeof sent === 'string' ? sent : randomUUID();
    const incoming: IncomingDelivery = {
      connectorId: target.connectorId,
      token: target.token,
      method: node.method as string,
      pathAndQuery: node.url as string,
      headers: incomingHeaders(node),
      sourceIp: node.socket.remoteAddress,
      readBody: (maxBytes) => readIncomingBody(node, maxBytes),
    };

    void answer(intake, incoming, requestId, logger)
      .then((reply) => writeReply(outgoing, reply, requestId))
      .catch((error: unknown) => {
        // Only writing the response can fail here, so the connection is closed without one.
        logger.error({ connectorId: target.connectorId, requestId, err: error }, 'sending the webhook response failed');
        outgoing.destroy();
      });
    return true;
  };
}

/** Runs the intake and turns any error into the problem reply the provider receives. */
async function answer(intake: WebhookIntake, incoming: IncomingDelivery, requestId: string, logger: Logger): Promise<IntakeReply> {
  try {
    return incoming.method === 'GET' ? await intake.handshake(incoming) : await intake.receive(incoming);
  } catch (error) {
    return toProblemReply(error, incoming.connectorId, requestId, logger);
  }
}

/**
 * Describes the delivery for the intake. Behind the Node server, headers and body come
 * straight from Node's request, which is cheaper than building a web Request. In-process
 * calls to `app.fetch`, such as a test delivery, have only the web Request.
 */
function toIncoming(c: Context, method: string, node: IncomingMessage | undefined): IncomingDelivery {
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

/** Returns the caller's `x-request-id`, as the API's middleware does, or a new id. */
function readRequestId(c: Context, node: IncomingMessage | undefined): string {
  const sent = node ? node.headers['x-request-id'] : c.req.header('x-request-id');
  return typeof sent === 'string' ? sent : randomUUID();
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

function send(c: Context, outgoing: ServerResponse | undefined, reply: IntakeReply, requestId: string): Response {
  if (!outgoing) return c.body(reply.body, reply.status as ContentfulStatusCode, { 'content-type': reply.contentType, ...reply.headers, 'x-request-id': requestId });

  writeReply(outgoing, reply, requestId);
  return RESPONSE_ALREADY_SENT;
}

function writeReply(outgoing: ServerResponse, reply: IntakeReply, requestId: string): void {
  outgoing.writeHead(reply.status, { 'content-type': reply.contentType, ...reply.headers, 'x-request-id': requestId, 'content-length': String(Buffer.byteLength(reply.body)) });
  outgoing.end(reply.body);
}

function toProblemReply(error: unknown, connectorId: string, requestId: string, logger: Logger): IntakeReply {
  // The instance leaves out the endpoint token, which works as a credential for the URL.
  const problem = toProblem(error, `/webhooks/${connectorId}`, '');
  delete problem.requestId;
  if (problem.status >= 500) logger.error({ connectorId, requestId, code: problem.code, err: error }, 'webhook delivery failed');

  const retryAfter = isLumioError(error) ? error.details.retryAfterSeconds : undefined;
  return {
    status: problem.status,
    contentType: 'application/problem+json',
    body: JSON.stringify(problem),
    ...(typeof retryAfter === 'number' ? { headers: { 'retry-after': String(retryAfter) } } : {}),
  };
}
