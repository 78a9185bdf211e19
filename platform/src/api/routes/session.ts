import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

import { clientAddress, deriveCsrfToken, ROLE_PERMISSIONS, SESSION_COOKIE, userView, type AccessService } from '../../access/index.js';
import { isLumioError, LumioError } from '../../errors/index.js';
import type { StoredUser } from '../../store/index.js';
import { checkNames, readJsonObject } from '../body.js';
import type { ApiEnv } from '../context.js';

/**
 * Builds `/v1/session`: `POST` logs in with email and password and sets the session cookie,
 * `GET` returns the session's user, permissions and CSRF token, and `DELETE` logs out.
 */
export function sessionRoutes(access: AccessService): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  // The login is public. A form on another site cannot post here: the body must be JSON,
  // and a cross-origin JSON request needs a CORS preflight that this API never allows.
  app.post('/', async (c) => {
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['email', 'password'], 'body');

    let result;
    try {
      result = await access.login(body.email, body.password, clientAddress(c, access.settings.trustProxy));
    } catch (error) {
      if (isLumioError(error) && typeof error.details.retryAfterSeconds === 'number') c.header('retry-after', String(error.details.retryAfterSeconds));
      throw error;
    }

    // A session cookie sent along is replaced, so one browser has one session.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) {
      const active = await access.authenticateSession(previous);
      if (active) await access.logout(active.session.id);
    }

    setCookie(c, SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: access.settings.secureCookies,
      maxAge: Math.floor(access.settings.sessionLifetimeMs / 1000),
    });
    return c.json(sessionBody(result.user, result.csrfToken));
  });

  app.get('/', async (c) => {
    const { user, token } = await requireSession(c, access);
    return c.json(sessionBody(user, deriveCsrfToken(token)));
  });

  app.delete('/', async (c) => {
    const { sessionId } = await requireSession(c, access);
    await access.logout(sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: access.settings.secureCookies });
    return c.body(null, 204);
  });

  return app;
}

function sessionBody(user: StoredUser, csrfToken: string): Record<string, unknown> {
  return { user: userView(user), permissions: [...ROLE_PERMISSIONS[user.role]], csrfToken };
}

/** Returns the request's session. The guard has checked the cookie already, so only an API-key caller gets here without one. */
async function requireSession(c: Context<ApiEnv>, access: AccessService): Promise<{ user: StoredUser; token: string; sessionId: string }> {
  const token = getCookie(c, SESSION_COOKIE);
  const active = c.get('principal').kind === 'user' && token ? await access.authenticateSession(token) : null;
  if (!token || !active) {
    throw new LumioError('AUTHENTICATION_REQUIRED', 'This endpoint describes a studio session; log in with POST /v1/session and send its cookie instead of an API key.', { status: 401, fault: 'caller' });
  }
  return { user: active.user, token, sessionId: active.session.id };
}
