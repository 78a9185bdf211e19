import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';

import { clientAddress, type ApiPrincipal } from '../access/index.js';
import type { ConnectionService } from '../connections/index.js';
import { isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { auditActionFor } from './audit-actions.js';
import { identifyLogin } from './login-identity.js';
import { recordAuditEvent } from './record-audit-event.js';
import { fieldNames, readJsonBody, readJsonResponse, responseObjectId } from './request-details.js';

export interface AuditRequestsOptions {
  store: Store;
  /** Resolves `/v1/integrations/{id}` paths named by connector id to the connection id. */
  connections: Pick<ConnectionService, 'resolve'>;
  logger: Logger;
  /** Whether the client address comes from `X-Forwarded-For` (LUMIO_TRUST_PROXY). */
  trustProxy: boolean;
}

type AuditEnv = { Variables: { principal: ApiPrincipal; requestId: string } };

/** The caller of a request, as an audit entry records it. */
interface AuditIdentity {
  workspaceId: string | null;
  actor: string;
  userId: string | null;
  apiKeyId: string | null;
  /** The object acted on, when finding the identity already found it. */
  resource?: string | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const INTEGRATION_PREFIX = '/v1/integrations/:id';
const LOGIN_PATTERN = '/v1/session';

/**
 * Audits every `/v1` request that may change something (any method but GET, HEAD and
 * OPTIONS), after the rest of the chain ran, whether it succeeded or failed. Mount it
 * before the middleware that authenticates and checks permissions, so a request that
 * middleware rejects with 403 is audited too, under the principal it had set. Requests
 * without a principal are skipped, because a 401 has no caller to record. Logins are the
 * exception: they are audited under the user's workspace when the e-mail address is known,
 * and as `anonymous` when the login failed. The entry is stored before the response is
 * returned, so a client that reads the audit log next finds it.
 */
export function auditRequests(options: AuditRequestsOptions): MiddlewareHandler<AuditEnv> {
  const { store, logger, trustProxy } = options;

  return async (c, next) => {
    await next();
    if (READ_METHODS.has(c.req.method)) return;

    const pattern = handlerPattern(c.req.method, matchedRoutes(c));
    const principal = c.get('principal') as ApiPrincipal | undefined;
    const login = c.req.method === 'POST' && pattern === LOGIN_PATTERN;
    if (!principal && !login) return;

    const body = await readJsonBody(c);
    const response = await readJsonResponse(c.res);
    const identity = principal ? identityOf(principal) : await identifyLogin(store, body, response);

    const params = c.req.param() as Record<string, string>;
    const resource = identity.resource !== undefined ? identity.resource : await resourceOf(pattern, params, identity.workspaceId, response, options.connections);
    const fields = fieldNames(body);
    const statusCode = c.res.status;
    let errorCode: string | undefined;
    if (isLumioError(c.error)) errorCode = c.error.code;
    else if (c.error) errorCode = 'INTERNAL_ERROR';

    await recordAuditEvent(store, logger, {
      workspaceId: identity.workspaceId,
      actor: identity.actor,
      userId: identity.userId,
      apiKeyId: identity.apiKeyId,
      action: auditActionFor(c.req.method, pattern ?? c.req.path),
      resource,
      ipAddress: addressOf(c, trustProxy),
      userAgent: c.req.header('user-agent') ?? null,
      status: statusCode < 400 ? 'success' : 'failure',
      statusCode,
      requestId: c.get('requestId') ?? null,
      metadata: {
        path: c.req.path,
        ...(Object.keys(params).length > 0 ? { params } : {}),
        ...(fields.length > 0 ? { fields } : {}),
        ...(errorCode ? { errorCode } : {}),
      },
    });
  };
}

function identityOf(principal: ApiPrincipal): AuditIdentity {
  return { workspaceId: principal.workspaceId, actor: principal.actor, userId: principal.userId, apiKeyId: principal.apiKeyId };
}

/** Returns the client's address, or null for a request that came through `app.fetch` without a socket. */
function addressOf(c: Context, trustProxy: boolean): string | null {
  const address = clientAddress(c, trustProxy);
  return address === 'unknown' ? null : address;
}

/**
 * Returns the route pattern of the handler that served the request, such as
 * `/v1/integrations/:id/connect`, or null when no route matched (a 404). Middleware is
 * registered for every method, so the handler is the first route of the request's method.
 */
function handlerPattern(method: string, routes: { method: string; path: string }[]): string | null {
  return routes.find((route) => route.method === method)?.path ?? null;
}

/**
 * Finds the object a request acted on: the connection of an `/v1/integrations/{id}` path
 * (by id, even when the path names the connector), the first other path parameter, or the
 * id in the response of a request that created something.
 */
async function resourceOf(
  pattern: string | null,
  params: Record<string, string>,
  workspaceId: string | null,
  response: Record<string, unknown> | null,
  connections: Pick<ConnectionService, 'resolve'>,
): Promise<string | null> {
  if (pattern?.startsWith(INTEGRATION_PREFIX) && params.id) {
    if (params.id.startsWith('conn_') || workspaceId === null) return params.id;
    const connection = await connections.resolve(workspaceId, params.id).catch(() => null);
    return connection?.id ?? params.id;
  }

  const first = Object.values(params)[0];
  if (first) return first;
  return responseObjectId(response);
}
