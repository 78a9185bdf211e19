import { suggestClosest } from '@lumio/plugin-sdk';
import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import { RECORD_WRITE_STATUSES, type RecordWrite, type RecordWriteStatus } from '../../store/index.js';
import { parseBatchWrite, parseSingleWrite, type AcceptedBatch } from '../../writeback/index.js';
import { readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const LIST_PARAMETERS = ['batch', 'status', 'cursor', 'limit'];

/**
 * Builds the write-back routes under `/v1/records`: `POST /` writes one canonical record,
 * `POST /batch` up to 1,000, and `GET /writes/{id}` and `GET /writes?batch=…` show the
 * outcomes. A job sends the writes to the provider, so the POST routes return 202.
 */
export function recordWriteRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, writeback } = services;
  const app = new Hono<ApiEnv>();

  app.post('/', async (c) => {
    const { workspaceId } = c.get('principal');
    const request = parseSingleWrite(await readJsonObject(c));
    const accepted = await writeback.accept(workspaceId, request);

    const write = accepted.writes[0];
    return c.json({ ...write, batchId: accepted.batchId, integration: accepted.connection.connectorId, connectionId: accepted.connection.id, object: accepted.object }, 202);
  });

  app.post('/batch', async (c) => {
    const { workspaceId } = c.get('principal');
    const request = parseBatchWrite(await readJsonObject(c));
    return c.json(acceptedBatchView(await writeback.accept(workspaceId, request)), 202);
  });

  app.get('/writes/:id', async (c) => {
    const write = await writeback.getWrite(c.get('principal').workspaceId, c.req.param('id'));
    const connection = await store.connections.get(write.connectionId);
    return c.json(writeView(write, connection?.connectorId ?? null));
  });

  app.get('/writes', async (c) => {
    const { workspaceId } = c.get('principal');
    checkListParameters(Object.keys(c.req.queries()));
    const batchId = c.req.query('batch');
    if (!batchId) {
      throw new LumioError('FIELD_REQUIRED', 'The batch query parameter is required: the batchId that POST /v1/records returned.', { status: 400, fault: 'caller', details: { field: 'batch' } });
    }

    const page = await writeback.listBatch(workspaceId, batchId, { status: parseStatus(c.req.query('status')), cursor: c.req.query('cursor'), limit: parseLimit(c.req.query('limit')) });
    const connection = page.items[0] ? await store.connections.get(page.items[0].connectionId) : null;
    return c.json({
      batchId,
      counts: page.counts,
      writes: page.items.map((write) => writeView(write, connection?.connectorId ?? null)),
      nextCursor: page.nextCursor,
    });
  });

  return app;
}

/** Builds `GET` and `PUT /v1/integrations/{id}/writeback`, which read and change a connection's conflict policy and match fields. */
export function writebackSettingsRoutes(services: ApiServices): Hono<ApiEnv> {
  const { connections, writeback } = services;
  const app = new Hono<ApiEnv>();

  app.get('/:id/writeback', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...(await writeback.getSettings(connection)) });
  });

  app.put('/:id/writeback', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const settings = await writeback.saveSettings(connection, await readJsonObject(c));
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...settings });
  });

  return app;
}

function acceptedBatchView(accepted: AcceptedBatch) {
  return {
    batchId: accepted.batchId,
    integration: accepted.connection.connectorId,
    connectionId: accepted.connection.id,
    object: accepted.object,
    status: 'pending',
    count: accepted.writes.length,
    writes: accepted.writes,
  };
}

/** Builds the public shape of a write. A failed write carries `error`, a skipped one `reason`. */
function writeView(write: RecordWrite, connectorId: string | null) {
  return {
    id: write.id,
    batchId: write.batchId,
    integration: connectorId,
    connectionId: write.connectionId,
    object: write.object,
    operation: write.operation,
    status: write.status,
    recordId: write.recordId,
    externalId: write.externalId,
    data: write.data,
    changedAt: write.changedAt,
    error: write.status === 'failed' ? write.error : null,
    reason: write.status === 'skipped' ? write.error : null,
    warnings: write.warnings,
    attempts: write.attempts,
    createdAt: write.createdAt,
    updatedAt: write.updatedAt,
    completedAt: write.completedAt,
  };
}

function checkListParameters(names: string[]): void {
  const unknown = names.filter((name) => !LIST_PARAMETERS.includes(name));
  if (unknown.length === 0) return;
  const hints = unknown.map((name) => {
    const suggestion = suggestClosest(name, LIST_PARAMETERS);
    return suggestion ? `${name} (did you mean ${suggestion}?)` : name;
  });
  throw new LumioError('QUERY_PARAMETER_UNKNOWN', `Unknown query parameter ${hints.join(', ')}; this endpoint accepts ${LIST_PARAMETERS.join(', ')}.`, {
    status: 400,
    fault: 'caller',
    details: { field: unknown[0] },
  });
}

function parseStatus(raw: string | undefined): RecordWriteStatus | undefined {
  if (raw === undefined) return undefined;
  if ((RECORD_WRITE_STATUSES as readonly string[]).includes(raw)) return raw as RecordWriteStatus;
  throw new LumioError('FIELD_INVALID', `status must be one of ${RECORD_WRITE_STATUSES.join(', ')}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'status' } });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}
