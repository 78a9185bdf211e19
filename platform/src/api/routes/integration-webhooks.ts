import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import type { StoredWebhookEvent, WebhookEventStatus } from '../../store/index.js';
import { sendTestDelivery, webhookUrlFor } from '../../webhooks/index.js';
import { optionalString, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const EVENT_STATUSES: WebhookEventStatus[] = ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'];
const REPLAYABLE: WebhookEventStatus[] = ['failed', 'dead'];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
/** Payload keys whose values the event view hides, because providers put tokens there. */
const SECRET_KEY = /token|secret|password|signature|authorization|api[_-]?key/i;

/**
 * Webhook settings, event log, replay and test delivery of one connection, under
 * `/v1/integrations/{id}/webhooks`. `dispatch` is the platform's own HTTP handler, which the
 * test delivery goes through like a provider's.
 */
export function integrationWebhookRoutes(services: ApiServices, dispatch: (request: Request) => Promise<Response>): Hono<ApiEnv> {
  const { store, connections, webhooks } = services;
  const app = new Hono<ApiEnv>();

  const resolve = async (workspaceId: string, id: string) => {
    const connection = await connections.resolve(workspaceId, id);
    const connector = connections.requireConnector(connection.connectorId);
    if (!connector.manifest.webhooks) {
      throw new LumioError('WEBHOOKS_NOT_SUPPORTED', `${connector.manifest.name} receives no webhooks; its manifest declares none.`, { status: 404, fault: 'caller' });
    }
    return { connection, connector };
  };

  app.get('/:id/webhooks', async (c) => {
    const { connection, connector } = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    const settings = await webhooks.settings.get(connection.id);
    const definition = connector.manifest.webhooks;
    const metrics = webhooks.metrics.snapshot();

    return c.json({
      integration: connection.connectorId,
      connectionId: connection.id,
      url: webhookUrlFor(webhooks.publicUrl(), connector.manifest, connection),
      connectorUrl: definition?.connectionLookup ? `${webhooks.publicUrl().replace(/\/+$/, '')}/webhooks/${connector.id}` : null,
      scheme: definition?.signature.scheme,
      handshake: definition?.handshake?.type ?? null,
      secrets: settings.secrets.length,
      verifyToken: settings.verifyToken !== null,
      allowedIps: settings.allowedIps,
      events: await store.webhookEvents.countByStatus(connection.id),
      rejectedSinceStart: metrics.rejected.filter((entry) => entry.provider === connector.id),
    });
  });

  app.put('/:id/webhooks/secrets', async (c) => {
    const { connection } = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    if (body.secrets === undefined && body.allowedIps === undefined && body.verifyToken === undefined) {
      throw new LumioError('FIELD_REQUIRED', 'Send secrets (a list, newest first), allowedIps or verifyToken.', { status: 400, fault: 'caller', details: { field: 'secrets' } });
    }

    const updated = await webhooks.settings.update(connection.id, { secrets: body.secrets, allowedIps: body.allowedIps, verifyToken: body.verifyToken });
    return c.json({ connectionId: connection.id, secrets: updated.secrets.length, verifyToken: updated.verifyToken !== null, allowedIps: updated.allowedIps });
  });

  app.get('/:id/webhooks/logs', async (c) => {
    const { workspaceId } = c.get('principal');
    const { connection } = await resolve(workspaceId, c.req.param('id'));
    const status = parseStatus(c.req.query('status') ?? c.req.query('filter'));
    const limit = parseLimit(c.req.query('limit'));

    const page = await store.webhookEvents.list({ workspaceId, connectionId: connection.id, status, limit, cursor: c.req.query('cursor') });
    return c.json({ events: page.events.map(eventView), nextCursor: page.nextCursor, counts: await store.webhookEvents.countByStatus(connection.id) });
  });

  app.get('/:id/webhooks/events/:eventId', async (c) => {
    const { workspaceId } = c.get('principal');
    const { connection } = await resolve(workspaceId, c.req.param('id'));
    const event = await store.webhookEvents.get(workspaceId, c.req.param('eventId'));
    if (!event || event.connectionId !== connection.id) throw eventNotFound(c.req.param('eventId'));

    const delivery = await store.webhookEvents.getDelivery(workspaceId, event.deliveryId);
    return c.json({ ...eventView(event), payload: redact(event.payload), delivery: delivery ? { id: delivery.id, headers: delivery.headers, contentType: delivery.contentType, bytes: delivery.body.length, sourceIp: delivery.sourceIp } : null });
  });

  app.post('/:id/webhooks/replay', async (c) => {
    const { workspaceId } = c.get('principal');
    const { connection } = await resolve(workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);

    if (body.eventIds !== undefined) {
      if (!Array.isArray(body.eventIds) || body.eventIds.length === 0 || body.eventIds.length > 1000 || !body.eventIds.every((id) => typeof id === 'string')) {
        throw new LumioError('FIELD_INVALID', 'eventIds must be a list of 1 to 1000 event ids.', { status: 400, fault: 'caller', details: { field: 'eventIds' } });
      }
      const replayed = await store.webhookEvents.replay(workspaceId, connection.id, body.eventIds as string[]);
      webhooks.worker.wake();
      return c.json({ replayed });
    }

    const status = (optionalString(body, 'status') ?? 'dead') as WebhookEventStatus;
    if (!REPLAYABLE.includes(status)) {
      throw new LumioError('FIELD_INVALID', `status must be "dead" or "failed", got "${status}".`, { status: 400, fault: 'caller', details: { field: 'status' } });
    }
    const replayed = await store.webhookEvents.replay(workspaceId, connection.id, { status: status as 'dead' | 'failed' });
    webhooks.worker.wake();
    return c.json({ replayed });
  });

  app.post('/:id/webhooks/:eventId/replay', async (c) => {
    const { workspaceId } = c.get('principal');
    const { connection } = await resolve(workspaceId, c.req.param('id'));
    const eventId = c.req.param('eventId');
    const event = await store.webhookEvents.get(workspaceId, eventId);
    if (!event || event.connectionId !== connection.id) throw eventNotFound(eventId);
    if (event.status === 'processing') {
      throw new LumioError('WEBHOOK_EVENT_BUSY', `Event ${eventId} is being processed now; replay it once it has finished.`, { status: 409, fault: 'caller' });
    }

    const replayed = await store.webhookEvents.replay(workspaceId, connection.id, [eventId]);
    webhooks.worker.wake();
    return c.json({ replayed, event: eventView((await store.webhookEvents.get(workspaceId, eventId)) ?? event) }, 202);
  });

  app.post('/:id/webhooks/test', async (c) => {
    const { workspaceId } = c.get('principal');
    const { connection, connector } = await resolve(workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    const eventType = optionalString(body, 'eventType');

    const result = await sendTestDelivery({
      connector,
      connection,
      settings: await webhooks.settings.get(connection.id),
      publicUrl: webhooks.publicUrl(),
      store,
      dispatch,
      request: { ...(eventType ? { eventType } : {}), ...(body.payload !== undefined ? { payload: body.payload } : {}) },
    });
    const delivered = result.response.status >= 200 && result.response.status < 300;
    return c.json({ delivered, response: result.response, events: result.events.map(eventView) }, delivered ? 200 : 502);
  });

  return app;
}

export function eventView(event: StoredWebhookEvent) {
  return {
    id: event.id,
    eventType: event.eventType,
    providerEventId: event.providerEventId,
    status: event.status,
    attempts: event.attempts,
    receivedAt: new Date(event.receivedAt).toISOString(),
    occurredAt: event.occurredAt === null ? null : new Date(event.occurredAt).toISOString(),
    processedAt: event.processedAt === null ? null : new Date(event.processedAt).toISOString(),
    nextAttemptAt: event.status === 'failed' ? new Date(event.nextAttemptAt).toISOString() : null,
    error: event.lastErrorCode ? { code: event.lastErrorCode, message: event.lastErrorMessage } : null,
    result: event.result,
  };
}

/** Copies a payload with the values of token-like keys replaced, for display. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redact(item)]));
}

function parseStatus(raw: string | undefined): WebhookEventStatus | undefined {
  if (raw === undefined) return undefined;
  if (EVENT_STATUSES.includes(raw as WebhookEventStatus)) return raw as WebhookEventStatus;
  throw new LumioError('FIELD_INVALID', `status must be one of ${EVENT_STATUSES.join(', ')}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'status' } });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}

function eventNotFound(eventId: string): LumioError {
  return new LumioError('WEBHOOK_EVENT_NOT_FOUND', `This connection has no webhook event ${eventId}; GET .../webhooks/logs lists its events.`, { status: 404, fault: 'caller' });
}
