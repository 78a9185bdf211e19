import { Hono } from 'hono';

import type { ApiServices } from '../context.js';

const startedAt = Date.now();

/**
 * Health in the shape operators expect: overall status, one check per dependency, and
 * uptime. Redis and the queue are reported once the platform uses them.
 */
export function healthRoutes(services: ApiServices): Hono {
  const { store, registry } = services;
  const app = new Hono();

  app.get('/', async (c) => {
    const database = await store.ping().then(() => 'healthy' as const, () => 'unhealthy' as const);
    const integrations: Record<string, string> = {};
    for (const connector of registry.list()) integrations[connector.id] = 'healthy';
    for (const rejected of registry.rejected()) integrations[rejected.id] = 'unavailable';

    let status = 'healthy';
    if (database !== 'healthy') status = 'unhealthy';
    else if (registry.rejected().length > 0) status = 'degraded';
    return c.json(
      {
        status,
        timestamp: new Date().toISOString(),
        checks: { database, integrations },
        metrics: { uptime: Math.floor((Date.now() - startedAt) / 1000) },
      },
      status === 'unhealthy' ? 503 : 200,
    );
  });

  app.get('/live', (c) => c.json({ status: 'healthy', timestamp: new Date().toISOString() }));

  app.get('/ready', async (c) => {
    const database = await store.ping().then(() => 'healthy' as const, () => 'unhealthy' as const);
    return c.json({ status: database, timestamp: new Date().toISOString(), checks: { database } }, database === 'healthy' ? 200 : 503);
  });

  return app;
}
