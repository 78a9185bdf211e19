import { suggestClosest } from '@lumio/plugin-sdk';
import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import type { StoredSyncSchedule, SyncRunLogEntry, SyncRunStatus } from '../../store/index.js';
import { parseScheduleDefinitions, scheduleTiming, type SyncMode } from '../../sync/index.js';
import { checkNames, optionalString, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { runView } from '../views.js';

const SYNC_MODES: SyncMode[] = ['full', 'incremental'];
const LOG_PARAMETERS = ['run', 'filter', 'cursor', 'limit'];
const LOG_FILTERS = ['all', 'failed', 'pages'] as const;
const DEFAULT_LOG_PAGE_SIZE = 100;
const MAX_LOG_PAGE_SIZE = 1000;
const RUN_PARAMETERS = ['limit', 'cursor', 'object', 'status'];
const RUN_STATUSES: SyncRunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const DEFAULT_RUN_PAGE_SIZE = 20;
const MAX_RUN_PAGE_SIZE = 200;

/**
 * Sync schedules, run history, run logs and previews of one connection, under
 * `/v1/integrations/{id}/sync/...`. `POST .../sync` and the status endpoints are in
 * `integrations.ts`.
 */
export function integrationSyncRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, connections, sync } = services;
  const app = new Hono<ApiEnv>();

  app.get('/:id/sync/schedules', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const schedules = await store.syncSchedules.listForConnection(connection.id);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, schedules: schedules.map((schedule) => scheduleView(schedule, Date.now())) });
  });

  app.put('/:id/sync/schedules', async (c) => {
    const { workspaceId } = c.get('principal');
    const connection = await connections.resolve(workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['schedules'], 'body');
    if (body.schedules === undefined) {
      throw new LumioError('FIELD_REQUIRED', 'schedules is required: a list such as [{"object": "contacts", "mode": "incremental", "every": "15m"}], or [] to remove every schedule.', {
        status: 400,
        fault: 'caller',
        details: { field: 'schedules' },
      });
    }

    const objects = Object.keys(connections.requireConnector(connection.connectorId).manifest.objects);
    const definitions = parseScheduleDefinitions(body.schedules, objects);
    const now = Date.now();
    const saved = await store.syncSchedules.replace(workspaceId, connection.id, definitions, now);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, schedules: saved.map((schedule) => scheduleView(schedule, now)) });
  });

  app.get('/:id/sync/runs', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    checkNames(Object.keys(c.req.queries()), RUN_PARAMETERS, 'query');
    const limit = parseLimit(c.req.query('limit'), DEFAULT_RUN_PAGE_SIZE, MAX_RUN_PAGE_SIZE);
    const status = parseRunStatus(c.req.query('status'));

    const object = c.req.query('object');
    if (object !== undefined) {
      const objects = Object.keys(connections.requireConnector(connection.connectorId).manifest.objects);
      checkObject(object, objects);
    }

    const page = await store.syncRuns.listPage(connection.id, { limit, cursor: c.req.query('cursor'), object, status });
    return c.json({ integration: connection.connectorId, connectionId: connection.id, runs: page.runs.map(runView), nextCursor: page.nextCursor });
  });

  app.get('/:id/sync/logs', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    checkNames(Object.keys(c.req.queries()), LOG_PARAMETERS, 'query');
    const filter = parseFilter(c.req.query('filter'));
    const limit = parseLimit(c.req.query('limit'), DEFAULT_LOG_PAGE_SIZE, MAX_LOG_PAGE_SIZE);

    const runId = c.req.query('run');
    const run = runId === undefined ? ((await store.syncRuns.list(connection.id, { limit: 1 }))[0] ?? null) : await store.syncRuns.get(runId);
    if (runId !== undefined && (!run || run.connectionId !== connection.id)) {
      throw new LumioError('SYNC_RUN_NOT_FOUND', `This connection has no sync run ${runId}; GET .../sync/status lists its recent runs.`, { status: 404, fault: 'caller', details: { field: 'run' } });
    }
    if (!run) return c.json({ integration: connection.connectorId, connectionId: connection.id, run: null, entries: [], nextCursor: null });

    const page = await store.syncRunLogs.list({ runId: run.id, filter, cursor: c.req.query('cursor'), limit });
    return c.json({ integration: connection.connectorId, connectionId: connection.id, run: runView(run), entries: page.entries.map(logEntryView), nextCursor: page.nextCursor });
  });

  app.post('/:id/sync/preview', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['type', 'mode'], 'body');
    const object = optionalString(body, 'type');
    if (!object) {
      throw new LumioError('FIELD_REQUIRED', 'type is required: the object to preview, such as "contacts".', { status: 400, fault: 'caller', details: { field: 'type' } });
    }
    const mode = (optionalString(body, 'mode') ?? 'incremental') as SyncMode;
    if (!SYNC_MODES.includes(mode)) {
      throw new LumioError('FIELD_INVALID', `mode must be "full" or "incremental", got "${mode}".`, { status: 400, fault: 'caller', details: { field: 'mode' } });
    }

    const preview = await sync.preview({ connection, object, mode });
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...preview });
  });

  return app;
}

/** Builds the public shape of a schedule, with its next slot after `nowMs`. */
function scheduleView(schedule: StoredSyncSchedule, nowMs: number) {
  const next = scheduleTiming(schedule).nextSlot(Math.max(nowMs, schedule.anchorAt));
  return {
    object: schedule.object,
    mode: schedule.mode,
    every: schedule.every,
    cron: schedule.cron,
    nextRunAt: next === null ? null : new Date(next).toISOString(),
    lastRunAt: schedule.lastSlotAt === null ? null : new Date(schedule.lastSlotAt).toISOString(),
    updatedAt: new Date(schedule.updatedAt).toISOString(),
  };
}

function logEntryView(entry: SyncRunLogEntry) {
  return {
    seq: entry.seq,
    at: new Date(entry.createdAt).toISOString(),
    kind: entry.kind,
    attempt: entry.attempt ?? null,
    page: entry.page ?? null,
    records: entry.records ?? null,
    inserted: entry.inserted ?? null,
    updated: entry.updated ?? null,
    unchanged: entry.unchanged ?? null,
    deleted: entry.deleted ?? null,
    durationMs: entry.durationMs ?? null,
    requestId: entry.requestId ?? null,
    code: entry.code ?? null,
    message: entry.message ?? null,
    details: entry.details ?? null,
  };
}

function parseFilter(raw: string | undefined): (typeof LOG_FILTERS)[number] {
  if (raw === undefined) return 'all';
  if ((LOG_FILTERS as readonly string[]).includes(raw)) return raw as (typeof LOG_FILTERS)[number];

  const suggestion = suggestClosest(raw, [...LOG_FILTERS]);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new LumioError('FIELD_INVALID', `filter must be one of ${LOG_FILTERS.join(', ')}, got "${raw}".${hint}`, { status: 400, fault: 'caller', details: { field: 'filter' } });
}

function parseLimit(raw: string | undefined, fallback: number, maximum: number): number {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maximum) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${maximum}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}

function parseRunStatus(raw: string | undefined): SyncRunStatus | undefined {
  if (raw === undefined) return undefined;
  if ((RUN_STATUSES as string[]).includes(raw)) return raw as SyncRunStatus;

  const suggestion = suggestClosest(raw, RUN_STATUSES);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new LumioError('FIELD_INVALID', `status must be one of ${RUN_STATUSES.join(', ')}, got "${raw}".${hint}`, { status: 400, fault: 'caller', details: { field: 'status' } });
}

/** Rejects an object the connector's manifest does not define, so a typo is not read as "no runs". */
function checkObject(object: string, objects: string[]): void {
  if (objects.includes(object)) return;

  const suggestion = suggestClosest(object, objects);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : ` The connector defines: ${objects.join(', ')}.`;
  throw new LumioError('FIELD_INVALID', `object "${object}" is not an object of this connector.${hint}`, { status: 400, fault: 'caller', details: { field: 'object' } });
}
