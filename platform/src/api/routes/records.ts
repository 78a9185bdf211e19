import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { recordView } from '../views.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function recordRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, connections } = services;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { workspaceId } = c.get('principal');
    const object = c.req.query('object');
    if (!object) {
      throw new LumioError('FIELD_REQUIRED', 'The object query parameter is required, such as object=contact.', { status: 400, fault: 'caller', details: { field: 'object' } });
    }

    const limit = parseLimit(c.req.query('limit'));
    const integration = c.req.query('integration');
    const connectionIds = integration ? [(await connections.resolve(workspaceId, integration)).id] : undefined;
    const includeDeleted = c.req.query('includeDeleted') === 'true';

    const page = await store.records.list({ workspaceId, object, connectionIds, includeDeleted, cursor: c.req.query('cursor'), limit });
    const connectorOf = new Map<string, string>();
    for (const connection of await store.connections.list(workspaceId)) connectorOf.set(connection.id, connection.connectorId);

    return c.json({
      records: page.items.map((record) => recordView(record, connectorOf.get(record.connectionId) ?? '')),
      nextCursor: page.nextCursor,
    });
  });

  return app;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}
