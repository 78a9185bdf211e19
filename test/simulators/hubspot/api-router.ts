import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { isLumioError } from '../../../platform/src/errors/index.js';
import { queryToRecord, sendEmpty, sendJson } from '../shared/index.js';
import type { RequestLog } from '../shared/index.js';
import {
  errorBody,
  expiredAuthentication,
  HubSpotApiError,
  invalidAuthentication,
  methodNotAllowed,
  rateLimitBody,
  unknownRoute,
  validationError,
} from './errors.js';
import type { FaultQueue } from './faults.js';
import { resolveObjectType } from './object-types.js';
import type { RateLimiter } from './rate-limiter.js';
import { getObject, listObjects } from './read-routes.js';
import type { RecordStore } from './record-store.js';
import type { RouteContext, RouteResult } from './route-context.js';
import { runSearch } from './search.js';
import type { SearchCache, SearchLimits } from './search.js';
import {
  archiveObject,
  batchArchive,
  batchCreate,
  batchRead,
  batchUpdate,
  batchUpsert,
  createObject,
  updateObject,
} from './write-routes.js';

/** The simulator state the CRM routes read and change. */
export interface ApiRuntime {
  store: RecordStore;
  faults: FaultQueue;
  /** Undefined when rate limiting is off. */
  rateLimiter: RateLimiter | undefined;
  validTokens: ReadonlySet<string>;
  expiredTokens: ReadonlySet<string>;
  requests: RequestLog;
  searchCache: SearchCache;
  searchLimits: SearchLimits;
  portalId: number;
  now(): number;
}

interface MatchedRoute {
  isSearch: boolean;
  handle(context: RouteContext): RouteResult;
}

const BATCH_HANDLERS: Record<string, (context: RouteContext) => RouteResult> = {
  read: batchRead,
  create: batchCreate,
  update: batchUpdate,
  upsert: batchUpsert,
  archive: batchArchive,
};

function matchRoute(method: string, path: string, segments: string[]): { typeSegment: string; route: MatchedRoute } {
  if (segments.length < 4 || segments[0] !== 'crm' || segments[1] !== 'v3' || segments[2] !== 'objects') {
    throw unknownRoute();
  }

  const typeSegment = segments[3] as string;
  const rest = segments.slice(4);
  const only = (allowed: string, route: MatchedRoute): MatchedRoute => {
    if (method !== allowed) {
      throw methodNotAllowed(method, path);
    }
    return route;
  };

  if (rest.length === 0) {
    if (method === 'GET') {
      return { typeSegment, route: { isSearch: false, handle: listObjects } };
    }
    return { typeSegment, route: only('POST', { isSearch: false, handle: createObject }) };
  }

  const [first, second] = rest;
  if (rest.length === 1 && first === 'search') {
    return { typeSegment, route: only('POST', { isSearch: true, handle: (context) => ({ status: 200, json: runSearch(context.store, context.type, context.body(), context.searchCache, context.searchLimits) }) }) };
  }
  if (rest.length === 2 && first === 'batch' && second !== undefined) {
    const handler = BATCH_HANDLERS[second];
    if (handler === undefined) {
      throw unknownRoute();
    }
    return { typeSegment, route: only('POST', { isSearch: false, handle: handler }) };
  }
  if (rest.length === 1 && first !== undefined) {
    const id = first;
    const byMethod: Record<string, (context: RouteContext) => RouteResult> = {
      GET: (context) => getObject(context, id),
      PATCH: (context) => updateObject(context, id),
      DELETE: (context) => archiveObject(context, id),
    };
    const handle = byMethod[method];
    if (handle === undefined) {
      throw methodNotAllowed(method, path);
    }
    return { typeSegment, route: { isSearch: false, handle } };
  }
  throw unknownRoute();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw unknownRoute();
  }
}

function authenticate(runtime: ApiRuntime, header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  if (token !== undefined && runtime.validTokens.has(token)) {
    return token;
  }
  if (token !== undefined && runtime.expiredTokens.has(token)) {
    throw expiredAuthentication();
  }
  throw invalidAuthentication();
}

function parseBody(text: string): { value: unknown; error: HubSpotApiError | undefined } {
  if (text === '') {
    return { value: undefined, error: undefined };
  }
  try {
    return { value: JSON.parse(text) as unknown, error: undefined };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(reason)?.[1] ?? 0);
    const before = text.slice(0, position).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    // HubSpot's 400 for malformed JSON names the line and column and carries no category.
    return { value: text, error: new HubSpotApiError(400, errorBody(`Invalid input JSON on line ${line}, column ${column}: ${reason}`)) };
  }
}

interface Outcome {
  status: number;
  json: string | undefined;
  headers: Record<string, string>;
}

function errorOutcome(error: unknown, headers: Record<string, string>): Outcome {
  if (error instanceof HubSpotApiError) {
    return { status: error.status, json: JSON.stringify(error.body), headers };
  }
  if (isLumioError(error) && error.status < 500) {
    // A store check failed on input the route did not validate, such as an unparsable createdate.
    return { status: 400, json: JSON.stringify(errorBody(error.message, { category: 'VALIDATION_ERROR' })), headers };
  }
  console.error('HubSpot simulator: request handler failed', error);
  return { status: 500, json: JSON.stringify(errorBody('internal error', { category: 'INTERNAL_ERROR' })), headers };
}

function computeOutcome(
  runtime: ApiRuntime,
  request: IncomingMessage,
  url: URL,
  body: { value: unknown; error: HubSpotApiError | undefined },
): Outcome {
  let headers: Record<string, string> = {};
  try {
    const injected = runtime.faults.takeResponse();
    if (injected !== undefined) {
      if (injected.rateLimitPolicy !== undefined && runtime.rateLimiter !== undefined) {
        const token = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
        headers = { ...runtime.rateLimiter.peekHeaders(token, runtime.now()), 'X-HubSpot-RateLimit-Remaining': '0' };
      }
      const json = typeof injected.body === 'string' ? injected.body : JSON.stringify(injected.body);
      return { status: injected.status, json, headers };
    }

    const token = authenticate(runtime, request.headers.authorization);
    const method = request.method ?? 'GET';
    const segments = url.pathname.split('/').filter((segment) => segment !== '').map(decodeSegment);
    const { typeSegment, route } = matchRoute(method, url.pathname, segments);

    const type = resolveObjectType(typeSegment);
    if (type === undefined) {
      throw validationError(`Unable to infer object type from: ${typeSegment}`);
    }

    if (runtime.rateLimiter !== undefined) {
      const decision = runtime.rateLimiter.take(token, runtime.now(), route.isSearch);
      headers = decision.headers;
      if (!decision.allowed) {
        throw new HubSpotApiError(429, rateLimitBody(decision.policy, runtime.portalId));
      }
    }

    const context: RouteContext = {
      store: runtime.store,
      type,
      typeSegment,
      query: url.searchParams,
      body: () => {
        if (body.error !== undefined) {
          throw body.error;
        }
        return body.value;
      },
      baseUrl: `http://${request.headers.host ?? 'localhost'}`,
      portalId: runtime.portalId,
      now: () => runtime.now(),
      searchCache: runtime.searchCache,
      searchLimits: runtime.searchLimits,
    };
    const result = route.handle(context);
    return { status: result.status, json: result.json, headers: { ...headers, ...result.headers } };
  } catch (error) {
    return errorOutcome(error, headers);
  }
}

function correlationIdOf(json: string | undefined): string {
  const match = json === undefined ? null : /"correlationId":"([0-9a-f-]{36})"/.exec(json.slice(0, 400));
  return match?.[1] ?? randomUUID();
}

/** Handles one CRM API request: sends the response and records the request in the log. */
export async function handleApiRequest(
  runtime: ApiRuntime,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  bodyText: string,
): Promise<void> {
  const arrival = runtime.now();
  const startedAt = performance.now();
  const body = parseBody(bodyText);

  const delayMs = runtime.faults.takeDelay();
  if (delayMs > 0) {
    await sleep(delayMs);
  }

  const outcome = computeOutcome(runtime, request, url, body);
  const headers = { ...outcome.headers, 'X-HubSpot-Correlation-Id': correlationIdOf(outcome.json) };
  if (outcome.json === undefined) {
    sendEmpty(response, outcome.status, headers);
  } else {
    sendJson(response, outcome.status, outcome.json, headers);
  }

  runtime.requests.record({
    method: request.method ?? 'GET',
    path: url.pathname,
    query: queryToRecord(url.searchParams),
    body: body.value,
    status: outcome.status,
    time: arrival,
    durationMs: performance.now() - startedAt,
  });
}
