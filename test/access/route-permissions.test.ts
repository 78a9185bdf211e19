import type { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';

import { findRouteAccess } from '../../platform/src/access/index.js';
import { createApiApp, type ApiEnv, type ApiServices } from '../../platform/src/api/index.js';
import { ALL_SCOPES } from '../../platform/src/app/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore, type Store } from '../../platform/src/store/index.js';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/temporary-database.js';

/**
 * A stand-in for every service: any property is another stand-in and any call returns one,
 * so building the application registers its routes without starting anything.
 */
function standIn(): any {
  const target = function () {} as any;
  return new Proxy(target, {
    get: (_target, property) => (property === 'then' ? undefined : standIn()),
    apply: () => standIn(),
  });
}

function buildApp(store?: Store): Hono<ApiEnv> {
  const known: Record<string, unknown> = store ? { logger: silentLogger, store } : { logger: silentLogger };
  const services = new Proxy(known, {
    get: (target, property: string) => (property in target ? target[property] : standIn()),
  }) as unknown as ApiServices;
  return createApiApp(services);
}

const EVERY_METHOD = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Lists the `/v1` handlers (not middleware) that no rule of the permission table covers. */
function uncoveredRoutes(app: Hono<ApiEnv>): string[] {
  const handlers = app.routes.filter((route) => route.path.startsWith('/v1/') && !(route.method === 'ALL' && route.path.endsWith('*')));
  const uncovered: string[] = [];
  for (const route of handlers) {
    const methods = route.method === 'ALL' ? EVERY_METHOD : [route.method];
    for (const method of methods) {
      if (findRouteAccess(method, route.path) === null) uncovered.push(`${method} ${route.path}`);
    }
  }
  return uncovered;
}

describe('permission table', () => {
  let database: TemporaryDatabase | undefined;
  let store: Store | undefined;

  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('covers every registered /v1 route', () => {
    const app = buildApp();

    expect(app.routes.filter((route) => route.path.startsWith('/v1/')).length).toBeGreaterThan(20);
    expect(uncoveredRoutes(app)).toEqual([]);
  });

  it('registers guarded routes after the guard', () => {
    const routes = buildApp().routes;
    const guardIndex = routes.findIndex((route) => route.handler.name === 'permissionGuard');

    const early = routes
      .slice(0, guardIndex)
      .filter((route) => route.path.startsWith('/v1/') && route.method !== 'ALL' && findRouteAccess(route.method, route.path)?.kind !== 'public')
      .map((route) => `${route.method} ${route.path}`);

    expect(guardIndex).toBeGreaterThan(0);
    expect(early).toEqual([]);
  });

  it('reports a route added without a rule', () => {
    const app = buildApp();
    app.get('/v1/brand-new', (c) => c.json({}));
    app.all('/v1/everything', (c) => c.json({}));

    expect(uncoveredRoutes(app)).toEqual(['GET /v1/brand-new', ...EVERY_METHOD.map((method) => `${method} /v1/everything`)]);
  });

  it('denies a route without a rule to an admin key', async () => {
    database = await createTemporaryDatabase('sqlite');
    store = await openStore(database.options);
    const workspace = await store.workspaces.getOrCreateDefault();
    const { key } = await store.apiKeys.create(workspace.id, 'admin', ALL_SCOPES);
    const app = buildApp(store);
    app.get('/v1/brand-new', (c) => c.json({ served: true }));

    const denied = await app.request('/v1/brand-new', { headers: { authorization: `Bearer ${key}` } });
    const missing = await app.request('/v1/not-registered', { headers: { authorization: `Bearer ${key}` } });

    expect(denied.status).toBe(403);
    expect(((await denied.json()) as any).code).toBe('PERMISSION_DENIED');
    expect(missing.status).toBe(404);
  });

  it('includes the access routes', () => {
    const paths = buildApp().routes.map((route) => `${route.method} ${route.path}`);

    for (const expected of ['POST /v1/session', 'GET /v1/session', 'DELETE /v1/session', 'GET /v1/api-keys', 'POST /v1/api-keys', 'DELETE /v1/api-keys/:keyId', 'GET /v1/users', 'POST /v1/users', 'DELETE /v1/users/:userId']) {
      expect(paths).toContain(expected);
    }
  });

  // The contract, one row per case: method, path, and the permission or access kind.
  const cases: [string, string, string][] = [
    ['GET', '/v1/integrations', 'integrations.read'],
    ['HEAD', '/v1/integrations/hubspot', 'integrations.read'],
    ['GET', '/v1/integrations/:id/field-mappings/:object/versions', 'integrations.read'],
    ['GET', '/v1/records', 'integrations.read'],
    ['POST', '/v1/integrations/:id/connect', 'integrations.connect'],
    ['POST', '/v1/integrations/:id/disconnect', 'integrations.disconnect'],
    ['DELETE', '/v1/integrations/:id', 'integrations.delete'],
    ['DELETE', '/v1/integrations/:id/field-mappings/:object', 'integrations.delete'],
    ['POST', '/v1/integrations/:id/sync/preview', 'integrations.read'],
    ['POST', '/v1/integrations/:id/field-mappings/preview', 'integrations.read'],
    ['POST', '/v1/integrations/:id/test', 'integrations.read'],
    ['POST', '/v1/integrations/:id/sync', 'integrations.write'],
    ['PUT', '/v1/integrations/:id/field-mappings/:object', 'integrations.write'],
    ['PATCH', '/v1/integrations/:id', 'integrations.write'],
    ['POST', '/v1/integrations/:id/debug', 'integrations.write'],
    ['POST', '/v1/records', 'integrations.write'],
    ['POST', '/v1/records/batch', 'integrations.write'],
    ['GET', '/v1/webhooks', 'integrations.read'],
    ['GET', '/v1/webhooks/:id/deliveries', 'integrations.read'],
    ['POST', '/v1/webhooks', 'webhooks.manage'],
    ['DELETE', '/v1/webhooks/:id', 'webhooks.manage'],
    ['POST', '/v1/webhooks/:id/deliveries/replay', 'webhooks.manage'],
    ['GET', '/v1/api-keys', 'api_keys.manage'],
    ['POST', '/v1/api-keys', 'api_keys.manage'],
    ['DELETE', '/v1/api-keys/:keyId', 'api_keys.manage'],
    ['GET', '/v1/users', 'api_keys.manage'],
    ['DELETE', '/v1/users/:userId', 'api_keys.manage'],
    ['GET', '/v1/audit-log', 'api_keys.manage'],
    ['POST', '/v1/session', 'public'],
    ['GET', '/v1/session', 'authenticated'],
    ['DELETE', '/v1/session', 'authenticated'],
    ['GET', '/v1/openapi.json', 'public'],
    ['GET', '/v1/docs', 'public'],
    ['GET', '/v1/oauth/callback', 'public'],
  ];

  it.each(cases)('maps %s %s', (method, path, expected) => {
    const access = findRouteAccess(method, path);

    expect(access).not.toBeNull();
    expect(access?.kind === 'permission' ? access.permission : access?.kind).toBe(expected);
  });

  const denied: [string, string][] = [
    ['DELETE', '/v1/records'],
    ['POST', '/v1/audit-log'],
    ['POST', '/v1/openapi.json'],
    ['PUT', '/v1/session'],
    ['GET', '/v1/oauth/authorize'],
    ['GET', '/v1/unlisted'],
    ['GET', '/v1'],
  ];

  it.each(denied)('denies %s %s by default', (method, path) => {
    expect(findRouteAccess(method, path)).toBeNull();
  });
});
