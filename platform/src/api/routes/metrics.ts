import { Hono } from 'hono';

import type { PlatformMetrics } from '../../observability/metrics/index.js';

/** Serves every platform metric in the Prometheus text exposition format. */
export function metricsRoutes(metrics: Pick<PlatformMetrics, 'render'>): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });

  return app;
}
