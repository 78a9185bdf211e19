import { randomUUID } from 'node:crypto';

import { Hono } from 'hono';

import { LumioError } from '../errors/index.js';
import { requireApiKey } from './auth.js';
import type { ApiEnv, ApiServices } from './context.js';
import { respondWithProblem } from './problem.js';
import { eventSubscriptionRoutes } from './routes/event-subscriptions.js';
import { healthRoutes } from './routes/health.js';
import { integrationWebhookRoutes } from './routes/integration-webhooks.js';
import { integrationSyncRoutes } from './routes/integration-syncs.js';
import { integrationRoutes } from './routes/integrations.js';
import { metricsRoutes } from './routes/metrics.js';
import { recordWriteRoutes, writebackSettingsRoutes } from './routes/record-writes.js';
import { recordRoutes } from './routes/records.js';
import { webhookIntakeRoutes } from './routes/webhook-intake.js';

/**
 * Builds the HTTP application: health checks and the provider-facing webhook router without
 * an API key, and the `/v1` API and `/metrics` behind one.
 */
export function createApiApp(services: ApiServices): Hono<ApiEnv> {
  const { logger } = services;
  const app = new Hono<ApiEnv>();

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);

    const started = performance.now();
    await next();
    logger.debug({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round(performance.now() - started) }, 'request');
  });

  app.onError((error, c) => respondWithProblem(c, error, logger));
  app.notFound((c) => respondWithProblem(c, new LumioError('ROUTE_NOT_FOUND', `No route matches ${c.req.method} ${c.req.path}.`, { status: 404, fault: 'caller' }), logger));

  app.route('/health', healthRoutes(services));
  app.route('/webhooks', webhookIntakeRoutes(services.webhooks.intake, logger));

  // Prometheus sends the key as `Authorization: Bearer <key>` when its scrape config sets
  // `authorization: { credentials: <key> }`. Any valid key may scrape. The metrics are
  // process-wide but carry no workspace or connection ids, only connector ids.
  app.use('/metrics', requireApiKey(services.store));
  app.route('/metrics', metricsRoutes(services.metrics));

  app.use('/v1/*', requireApiKey(services.store));
  app.route('/v1/integrations', integrationRoutes(services));
  app.route('/v1/integrations', integrationSyncRoutes(services));
  app.route('/v1/integrations', integrationWebhookRoutes(services, (request) => Promise.resolve(app.fetch(request))));
  app.route('/v1/integrations', writebackSettingsRoutes(services));
  app.route('/v1/records', recordRoutes(services));
  app.route('/v1/records', recordWriteRoutes(services));
  app.route('/v1/webhooks', eventSubscriptionRoutes(services));

  return app;
}
