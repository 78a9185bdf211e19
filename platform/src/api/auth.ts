import type { MiddlewareHandler } from 'hono';

import { LumioError } from '../errors/index.js';
import type { ApiPrincipal } from '../access/index.js';
import type { Store } from '../store/index.js';

export type { ApiPrincipal };

/** Accepts `Authorization: Bearer <api key>` and puts the key's workspace on the context. */
export function requireApiKey(store: Store): MiddlewareHandler<{ Variables: { principal: ApiPrincipal } }> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      throw new LumioError('AUTHENTICATION_REQUIRED', 'Send an API key as "Authorization: Bearer <key>".', { status: 401, fault: 'caller' });
    }

    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new LumioError('AUTHENTICATION_INVALID', 'The Authorization header must be "Bearer <key>".', { status: 401, fault: 'caller' });
    }

    const key = await store.apiKeys.verify(match[1]);
    if (!key) {
      throw new LumioError('AUTHENTICATION_INVALID', 'The API key is unknown or revoked; create a new admin key with `npm run lumio -- admin-key`.', { status: 401, fault: 'caller' });
    }

    c.set('principal', { workspaceId: key.workspaceId, kind: 'api_key', apiKeyId: key.id, userId: null, role: null, permissions: key.scopes, actor: `key:${key.id}` });
    await next();
  };
}
