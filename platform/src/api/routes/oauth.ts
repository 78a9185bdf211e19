import { Hono } from 'hono';

import { clientAddress } from '../../access/index.js';
import type { OAuthConnectFlow } from '../../oauth/index.js';
import type { ApiEnv } from '../context.js';

/**
 * `GET /v1/oauth/callback`, where providers send the browser back after an authorization.
 * It needs no API key or session, because the single-use state authenticates the request,
 * and it always responds with a redirect to the studio, carrying `connected=1` or `error`.
 */
export function oauthRoutes(oauth: OAuthConnectFlow, trustProxy: boolean): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/callback', async (c) => {
    const query = { code: single(c.req.queries('code')), state: single(c.req.queries('state')), error: single(c.req.queries('error')) };
    const client = { ipAddress: clientAddress(c, trustProxy), userAgent: c.req.header('user-agent') ?? null, requestId: c.get('requestId') };
    const outcome = await oauth.complete(query, client);

    // The request URL carries the code and state, so neither caches nor the next page may keep it.
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(outcome.location, 302);
  });

  return app;
}

/** Returns a query parameter given once; a repeated one is treated as absent, because it is ambiguous. */
function single(values: string[] | undefined): string | undefined {
  return values?.length === 1 ? values[0] : undefined;
}
