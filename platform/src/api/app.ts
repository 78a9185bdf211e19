import { randomUUID } from 'node:crypto';

import { Hono } from 'hono';

import { LumioError } from '../errors/index.js';
import { AccessService, DEFAULT_ACCESS_SETTINGS } from '../access/index.js';
import { auditRequests } from '../audit/index.js';
import { createDiagnostics, type Diagnostics } from '../diagnostics/index.js';
import { guardApi, requireAuthentication } from './auth.js';
import { compressResponses } from './compression.js';
import type { ApiEnv, ApiServices } from './context.js';
import { buildOpenApiDocument, referenceRoutes, validateRequestBodies } from './openapi/index.js';
import { respondWithProblem } from './problem.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditLogRoutes } from './routes/audit-log.js';
import { eventSubscriptionRoutes } from './routes/event-subscriptions.js';
import { fieldMappingRoutes } from './routes/field-mappings.js';
import { healthRoutes } from './routes/health.js';
import { integrationActionRoutes } from './routes/integration-actions.js';
import { integrationRecordRoutes } from './routes/integration-records.js';
import { integrationSupportRoutes } from './routes/integration-support.js';
import { integrationWebhookRoutes } from './routes/integration-webhooks.js';
import { integrationSyncRoutes } from './routes/integration-syncs.js';
import { integrationRoutes } from './routes/integrations.js';
import { metricsRoutes } from './routes/metrics.js';
import { oauthRoutes } from './routes/oauth.js';
import { recordWriteRoutes, writebackSettingsRoutes } from './routes/record-writes.js';
import { recordRoutes } from './routes/records.js';
import { sessionRoutes } from './routes/session.js';
import { studioRoutes } from './routes/studio.js';
import { userRoutes } from './routes/users.js';
import { webhookIntakeRoutes } from './routes/webhook-intake.js';

/**
 * Builds the HTTP application: health checks and the provider-facing webhook router without
 * authentication, and the `/v1` API and `/metrics` behind an API key or a studio session.
 * `access` carries the session and rate-limit settings; without it the defaults apply.
 * `diagnostics` should be the one the shared services report to, so the metrics endpoint
 * reads their request counts; without it the API makes its own, which counts nothing.
 */
export function createApiApp(services: ApiServices, access?: AccessService, diagnostics?: Diagnostics): Hono<ApiEnv> {
  const { logger } = services;
  const guard = access ?? new AccessService({ store: services.store, settings: DEFAULT_ACCESS_SETTINGS, logger });
  const support = diagnostics ?? createDiagnostics({ store: services.store, logger });
  const app = new Hono<ApiEnv>();
  const document = buildOpenApiDocument();

  // Mounted before the middleware below, so provider deliveries skip it, because its
  // header read builds a Fetch Headers object for every request. The webhook routes set
  // x-request-id themselves.
  app.route('/webhooks', webhookIntakeRoutes(services.webhooks.intake, logger));

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);

    const started = performance.now();
    await next();
    // Checked first, because building the entry costs CPU on every request even when pino drops it.
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round(performance.now() - started) }, 'request');
    }
  });

  // Responses to provider deliveries stay uncompressed, as the providers' schemes expect.
  app.use('*', compressResponses({ skip: isProviderWebhook }));

  app.onError((error, c) => respondWithProblem(c, error, logger));
  app.notFound((c) => respondWithProblem(c, new LumioError('ROUTE_NOT_FOUND', `No route matches ${c.req.method} ${c.req.path}.`, { status: 404, fault: 'caller' }), logger));

  app.route('/health', healthRoutes(services));
  // The studio's static files, outside /v1: its own API calls carry the session cookie.
  app.route('/studio', studioRoutes());

  // Prometheus sends the key as `Authorization: Bearer <key>` when its scrape config sets
  // `authorization: { credentials: <key> }`. Any valid key or session may scrape. The metrics are
  // process-wide but carry no workspace or connection ids, only connector ids.
  app.use('/metrics', requireAuthentication(guard));
  app.route('/metrics', metricsRoutes(services.metrics));

  // Mounted before the /v1 guard: providers redirect the browser here, and the single-use state authenticates it.
  app.route('/v1/oauth', oauthRoutes(services.oauth, guard.settings.trustProxy));
  app.route('/v1', referenceRoutes(document, () => services.webhooks.publicUrl()));

  // Every /v1 route needs an entry in the permission table of platform/src/access/route-permissions.ts.
  // The audit middleware wraps the guard, so it also records requests the guard rejects.
  app.use('/v1/*', auditRequests({ store: services.store, connections: services.connections, logger, trustProxy: guard.settings.trustProxy }));
  app.use('/v1/*', guardApi(guard));
  app.use('/v1/*', validateRequestBodies(document));
  app.route('/v1/session', sessionRoutes(guard));
  app.route('/v1/api-keys', apiKeyRoutes(services));
  app.route('/v1/users', userRoutes(services, guard));
  app.route('/v1/audit-log', auditLogRoutes(services));
  // Registered before integrationRoutes, whose older status routes it replaces.
  app.route('/v1/integrations', integrationSupportRoutes(services, support));
  app.route('/v1/integrations', integrationRoutes(services));
  app.route('/v1/integrations', integrationSyncRoutes(services));
  app.route('/v1/integrations', fieldMappingRoutes(services));
  app.route('/v1/integrations', integrationWebhookRoutes(services, (request) => Promise.resolve(app.fetch(request))));
  app.route('/v1/integrations', writebackSettingsRoutes(services));
  app.route('/v1/integrations', integrationActionRoutes(services));
  app.route('/v1/integrations', integrationRecordRoutes(services));
  app.route('/v1/records', recordRoutes(services));
  app.route('/v1/records', recordWriteRoutes(services));
  app.route('/v1/webhooks', eventSubscriptionRoutes(services));

  return app;
}

function isProviderWebhook(path: string): boolean {
  return path === '/webhooks' || path.startsWith('/webhooks/');
}
