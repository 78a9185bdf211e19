import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import type { SyncMode } from '../../sync/index.js';
import { optionalBoolean, optionalString, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { DEFAULT_CONNECTION_NAME } from '../../connections/index.js';
import { connectionView, healthOf, runView } from '../views.js';
import type { Connection } from '../../store/index.js';
import { checkAllowedIps, checkSecrets, checkVerifyToken } from '../../webhooks/index.js';

const SYNC_MODES: SyncMode[] = ['full', 'incremental'];

export function integrationRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, registry, connections, sync, webhooks } = services;
  const view = (connection: Connection) => connectionView(connection, connections.requireConnector(connection.connectorId).manifest, webhooks.publicUrl());
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { workspaceId } = c.get('principal');
    const existing = await store.connections.list(workspaceId);

    const integrations: unknown[] = [];
    for (const connector of registry.list()) {
      const own = existing.filter((connection) => connection.connectorId === connector.id);
      if (own.length === 0) {
        integrations.push({ id: connector.id, name: connector.manifest.name, category: connector.manifest.category, status: 'not_connected', lastSync: null, health: null });
        continue;
      }
      for (const connection of own) integrations.push({ ...view(connection), category: connector.manifest.category });
    }
    for (const rejected of registry.rejected()) {
      integrations.push({ id: rejected.id, name: rejected.id, status: 'unavailable', health: 'unavailable', error: { code: 'CONNECTOR_INVALID', issues: rejected.issues.length } });
    }

    return c.json({ integrations });
  });

  app.get('/:id', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    return c.json(view(connection));
  });

  app.post('/:id/connect', async (c) => {
    const { workspaceId } = c.get('principal');
    const body = await readJsonObject(c);
    const idOrConnector = c.req.param('id');

    // A connection id reconnects that connection; a connector id connects (or reconnects) by name.
    let connectorId = idOrConnector;
    let name = optionalString(body, 'name');
    let connectionId: string | null = null;
    if (idOrConnector.startsWith('conn_')) {
      const existing = await connections.resolve(workspaceId, idOrConnector);
      connectorId = existing.connectorId;
      name = existing.name;
      connectionId = existing.id;
    }

    // Webhook settings are checked before the connection is saved, so a bad list saves nothing.
    const webhookSecrets = body.webhookSecrets === undefined ? undefined : checkSecrets(body.webhookSecrets);
    const webhookAllowedIps = body.webhookAllowedIps === undefined ? undefined : checkAllowedIps(body.webhookAllowedIps);
    const webhookVerifyToken = body.webhookVerifyToken === undefined ? undefined : checkVerifyToken(body.webhookVerifyToken);

    // Without tokens in the body, an OAuth authorization code connector starts the browser flow instead.
    const authMethod = optionalString(body, 'authMethod');
    if (services.oauth.startsAuthorization(connectorId, body.credentials, authMethod)) {
      const webhook = { secrets: webhookSecrets, allowedIps: webhookAllowedIps, verifyToken: webhookVerifyToken };
      const started = await services.oauth.start({
        principal: c.get('principal'),
        connectorId,
        name: name ?? DEFAULT_CONNECTION_NAME,
        connectionId,
        credentials: body.credentials,
        config: body.config,
        authMethod,
        test: optionalBoolean(body, 'test'),
        webhook: Object.values(webhook).some((value) => value !== undefined) ? webhook : undefined,
      });
      return c.json(started, 200);
    }

    const connection = await connections.connect(workspaceId, connectorId, {
      credentials: body.credentials as Record<string, string>,
      config: body.config,
      name,
      authMethod: optionalString(body, 'authMethod'),
      test: optionalBoolean(body, 'test'),
    });
    if (webhookSecrets !== undefined || webhookAllowedIps !== undefined || webhookVerifyToken !== undefined) {
      await webhooks.settings.update(connection.id, { secrets: webhookSecrets, allowedIps: webhookAllowedIps, verifyToken: webhookVerifyToken });
    }
    webhooks.resolver.forget();
    return c.json(view(connection), 200);
  });

  app.post('/:id/disconnect', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const updated = await connections.disconnect(connection);
    webhooks.resolver.forget();
    return c.json(view(updated));
  });

  app.post('/:id/sync', async (c) => {
    const { workspaceId } = c.get('principal');
    const body = await readJsonObject(c);
    const connection = await connections.resolve(workspaceId, c.req.param('id'));

    const object = optionalString(body, 'type');
    if (!object) {
      throw new LumioError('FIELD_REQUIRED', 'type is required: the object to sync, such as "contacts".', { status: 400, fault: 'caller', details: { field: 'type' } });
    }
    const mode = (optionalString(body, 'mode') ?? 'incremental') as SyncMode;
    if (!SYNC_MODES.includes(mode)) {
      throw new LumioError('FIELD_INVALID', `mode must be "full" or "incremental", got "${mode}".`, { status: 400, fault: 'caller', details: { field: 'mode' } });
    }

    const { run, alreadyRunning } = await sync.start({ workspaceId, connection, object, mode, trigger: 'manual' });
    return c.json({ ...runView(run), alreadyRunning }, alreadyRunning ? 200 : 202);
  });

  app.get('/:id/health', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const connector = connections.requireConnector(connection.connectorId);
    const breakers = services.shared.breakers.snapshot(connection.id);
    const rateLimits = await services.shared.limiter.snapshot(connection.id);

    // Degraded while a breaker is not closed or a budget is paused after a provider 429.
    const now = Date.now();
    const tripped = breakers.some((breaker) => breaker.state !== 'closed');
    const paused = rateLimits.some((budget) => budget.pausedUntil !== null && budget.pausedUntil > now);
    let status = healthOf(connection) ?? 'unknown';
    if (connection.status !== 'connected') status = connection.status;
    else if (tripped || paused) status = 'degraded';

    return c.json({
      integration: connection.connectorId,
      connectionId: connection.id,
      name: connector.manifest.name,
      status,
      connection: connection.status,
      lastSync: connection.lastSyncAt,
      lastSyncStatus: connection.lastSyncStatus,
      circuitBreakers: breakers,
      rateLimits: rateLimits.map((budget) => ({ ...budget, pausedUntil: budget.pausedUntil === null ? null : new Date(budget.pausedUntil).toISOString() })),
      sharedAcrossProcesses: services.shared.shared,
    });
  });


  return app;
}
