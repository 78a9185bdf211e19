import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import type { RouterRoute } from 'hono/types';

import { CSRF_HEADER, csrfTokenMatches, deriveCsrfToken, findRouteAccess, SESSION_COOKIE, type AccessService, type ApiPrincipal, type RouteAccess } from '../access/index.js';
import { isLumioError, LumioError } from '../errors/index.js';
import type { ApiEnv } from './context.js';

export type { ApiPrincipal };

/** Methods that change nothing, so a cookie-authenticated request needs no CSRF token for them. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Guards `/v1`. It finds the route's entry in the permission table and authenticates the
 * caller by API key or session cookie. It checks the CSRF token of cookie requests that change
 * something, applies the per-caller rate limit, and rejects a caller without the permission
 * the route needs. A route with no entry is denied to everyone, and a path with no route still
 * gets 404 once the caller is authenticated.
 */
export function guardApi(access: AccessService): MiddlewareHandler<ApiEnv> {
  // The table's result for a method and route pattern never changes, so it is looked up once.
  // Only registered patterns are keys, which bounds the map, and a path with no route is looked up each time.
  const accessByRoute = new Map<string, RouteAccess | null>();
  const routeAccessOf = (method: string, routePath: string): RouteAccess | null => {
    const key = `${method} ${routePath}`;
    let routeAccess = accessByRoute.get(key);
    if (routeAccess === undefined) {
      routeAccess = findRouteAccess(method, routePath);
      accessByRoute.set(key, routeAccess);
    }
    return routeAccess;
  };

  // Named, so a test can check that every non-public route is registered after the guard.
  const permissionGuard: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const route = findHandlerRoute(c);
    const routeAccess = route ? routeAccessOf(c.req.method, route.path) : findRouteAccess(c.req.method, c.req.path);
    if (routeAccess?.kind === 'public') return next();

    const principal = await authenticate(c, access);
    if (!route) return next();

    if (!routeAccess) {
      throw new LumioError('PERMISSION_DENIED', `${c.req.method} ${route.path} has no entry in the permission table, so no caller may use it.`, { status: 403, fault: 'caller' });
    }
    if (routeAccess.kind === 'permission' && !principal.permissions.includes(routeAccess.permission)) {
      const holder = principal.kind === 'api_key' ? 'this API key does not hold' : `the role ${principal.role ?? 'of this user'} does not grant`;
      throw new LumioError('PERMISSION_DENIED', `This request needs the permission ${routeAccess.permission}, which ${holder}.`, {
        status: 403,
        fault: 'caller',
        details: { permission: routeAccess.permission },
      });
    }
    await next();
  };
  return permissionGuard;
}

/** Accepts any authenticated caller, for `/metrics`, which needs no particular permission. */
export function requireAuthentication(access: AccessService): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await authenticate(c, access);
    await next();
  };
}

/**
 * Finds the route that will handle the request: the first matched route registered for the
 * method, or an `all()` route on an exact path. Routes on paths ending in `*` are middleware.
 */
function findHandlerRoute(c: Context): RouterRoute | null {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  return matchedRoutes(c).find((route) => route.method === method || (route.method === 'ALL' && !route.path.endsWith('*'))) ?? null;
}

/** Sets `principal` from a Bearer key or else the session cookie, checks CSRF, and takes a request from the caller's allowance. */
async function authenticate(c: Context<ApiEnv>, access: AccessService): Promise<ApiPrincipal> {
  const header = c.req.header('authorization');
  const cookie = getCookie(c, SESSION_COOKIE);

  let principal: ApiPrincipal;
  if (header !== undefined) {
    principal = await authenticateBearer(header, access);
  } else if (cookie !== undefined) {
    principal = await authenticateCookie(c, cookie, access);
  } else {
    throw new LumioError('AUTHENTICATION_REQUIRED', 'Send an API key as "Authorization: Bearer <key>", or log in with POST /v1/session and send its cookie.', { status: 401, fault: 'caller' });
  }
  c.set('principal', principal);

  try {
    access.limitRequest(principal);
  } catch (error) {
    if (isLumioError(error) && typeof error.details.retryAfterSeconds === 'number') c.header('retry-after', String(error.details.retryAfterSeconds));
    throw error;
  }
  return principal;
}

async function authenticateBearer(header: string, access: AccessService): Promise<ApiPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new LumioError('AUTHENTICATION_INVALID', 'The Authorization header must be "Bearer <key>".', { status: 401, fault: 'caller' });
  }

  const principal = await access.authenticateApiKey(match[1]);
  if (!principal) {
    throw new LumioError('AUTHENTICATION_INVALID', 'The API key is unknown or revoked; create a new admin key with `npm run lumio -- admin-key`.', { status: 401, fault: 'caller' });
  }
  return principal;
}

async function authenticateCookie(c: Context<ApiEnv>, token: string, access: AccessService): Promise<ApiPrincipal> {
  const active = await access.authenticateSession(token);
  if (!active) {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    throw new LumioError('SESSION_EXPIRED', 'The studio session has expired or was ended; log in again with POST /v1/session.', { status: 401, fault: 'caller' });
  }

  // SameSite=Strict already keeps other sites from sending the cookie; the token also covers
  // browsers without SameSite and requests from other origins on the same site.
  if (!SAFE_METHODS.includes(c.req.method) && !csrfTokenMatches(c.req.header(CSRF_HEADER), deriveCsrfToken(token))) {
    throw new LumioError('CSRF_TOKEN_INVALID', `A request authenticated by the session cookie must send the session's CSRF token in the ${CSRF_HEADER} header; GET /v1/session returns it.`, {
      status: 403,
      fault: 'caller',
    });
  }
  return active.principal;
}
