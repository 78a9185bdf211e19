import { canonicalSchemas, suggestClosest } from '@lumio/plugin-sdk';
import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import { checkNames } from '../body.js';
import { parseBoolean } from '../query.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { recordPageJson } from '../views.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const QUERY_PARAMETERS = ['integration', 'object', 'cursor', 'limit', 'includeDeleted'];
const CANONICAL_OBJECTS = Object.keys(canonicalSchemas);

export function recordRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, connections } = services;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { workspaceId } = c.get('principal');
    checkNames(Object.keys(c.req.queries()), QUERY_PARAMETERS, 'query');
    const object = parseObject(c.req.query('object'));
    const limit = parseLimit(c.req.query('limit'));
    const includeDeleted = parseBoolean(c.req.query('includeDeleted'), 'includeDeleted');
    const integration = c.req.query('integration');
    const connectionIds = integration ? [(await connections.resolve(workspaceId, integration)).id] : undefined;

    const page = await store.records.listWithDataJson({ workspaceId, object, connectionIds, includeDeleted, cursor: c.req.query('cursor'), limit });
    const connectorOf = new Map<string, string>();
    for (const connection of await store.connections.list(workspaceId)) connectorOf.set(connection.id, connection.connectorId);

    const body = recordPageJson(page, (connectionId) => connectorOf.get(connectionId) ?? '');
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });

  return app;
}

/** Reads `object`, a canonical object name; the provider's name (contacts) gets a hint. */
function parseObject(raw: string | undefined): string {
  if (!raw) {
    throw new LumioError('FIELD_REQUIRED', 'The object query parameter is required, such as object=contact.', { status: 400, fault: 'caller', details: { field: 'object' } });
  }
  if (CANONICAL_OBJECTS.includes(raw)) return raw;

  const suggestion = suggestClosest(raw, CANONICAL_OBJECTS);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new LumioError('FIELD_INVALID', `object must name one of Lumio's canonical objects (${CANONICAL_OBJECTS.join(', ')}), got "${raw}".${hint}`, {
    status: 400,
    fault: 'caller',
    details: { field: 'object' },
  });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}
