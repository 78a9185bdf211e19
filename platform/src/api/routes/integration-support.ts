import { Hono } from 'hono';

import { buildConnectionMetrics, buildDiagnosticReport, checkConnection, DEFAULT_DEBUG_DURATION_SECONDS, type Diagnostics } from '../../diagnostics/index.js';
import { LumioError } from '../../errors/index.js';
import { ACTIVE_SYNC_RUN_STATUSES, type Connection, type Store } from '../../store/index.js';
import { checkNames, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { healthOf, runView } from '../views.js';

const DEBUG_FIELDS = ['enabled', 'duration', 'level'];
const DEBUG_LEVELS = ['verbose'] as const;

/**
 * Support endpoints of one connection under `/v1/integrations/{id}`: the connection test,
 * sync status, metrics, debug logging and the diagnostic report.
 */
export function integrationSupportRoutes(services: ApiServices, diagnostics: Diagnostics): Hono<ApiEnv> {
  const { store, connections, webhooks, logger } = services;
  const app = new Hono<ApiEnv>();
  const resolve = (workspaceId: string, id: string | undefined) => connections.resolve(workspaceId, id ?? '');

  app.post('/:id/test', async (c) => {
    const connection = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    const check = await checkConnection(connections, store, logger, connection);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...check });
  });

  // The product documents both paths for the same response.
  for (const path of ['/:id/status', '/:id/sync/status']) {
    app.get(path, async (c) => {
      const connection = await resolve(c.get('principal').workspaceId, c.req.param('id'));
      return c.json(await syncStatus(store, connection));
    });
  }

  app.get('/:id/metrics', async (c) => {
    const connection = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    return c.json(await buildConnectionMetrics(store, diagnostics.requests, connection));
  });

  app.get('/:id/debug', async (c) => {
    const connection = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...(await diagnostics.debug.state(connection.id)) });
  });

  app.post('/:id/debug', async (c) => {
    const principal = c.get('principal');
    const connection = await resolve(principal.workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), DEBUG_FIELDS, 'body');

    if (typeof body.enabled !== 'boolean') {
      throw new LumioError('FIELD_REQUIRED', 'enabled is required: true to switch debug logging on, false to switch it off.', { status: 400, fault: 'caller', details: { field: 'enabled' } });
    }
    const level = parseLevel(body.level);
    const durationSeconds = parseDuration(body.duration);

    const state = body.enabled
      ? await diagnostics.debug.enable(connection, { level, durationSeconds, actor: principal.actor })
      : await diagnostics.debug.disable(connection, principal.actor);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...state });
  });

  app.get('/:id/diagnostic', async (c) => {
    const connection = await resolve(c.get('principal').workspaceId, c.req.param('id'));
    const report = await buildDiagnosticReport({ store, connections, shared: services.shared, webhookSettings: webhooks.settings, diagnostics }, connection);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, ...report });
  });

  return app;
}

/**
 * Builds the sync status of a connection: `syncing` with the progress and ETA of the
 * oldest run still going, else `idle`, `error` after a failed run, or the connection's
 * own status when it is not connected. `run` is the run the status describes.
 */
async function syncStatus(store: Store, connection: Connection) {
  const runs = await store.syncRuns.list(connection.id, { limit: 50 });
  const active = runs.filter((run) => ACTIVE_SYNC_RUN_STATUSES.includes(run.status));
  const finished = runs.filter((run) => !active.includes(run)).sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));

  // The newest finished run of each object, so syncing deals does not hide the last contacts run.
  const lastRuns: Record<string, ReturnType<typeof runView>> = {};
  for (const run of finished) lastRuns[run.object] ??= runView(run);

  // Runs are listed newest first, so the last active one is the oldest still going.
  const current = active.at(-1);
  const currentRun = current ? runView(current) : null;
  const lastRun = finished[0] ? runView(finished[0]) : null;

  let status: string = 'idle';
  if (currentRun) status = 'syncing';
  else if (connection.status !== 'connected') status = connection.status;
  else if (lastRun?.status === 'failed') status = 'error';

  return {
    integration: connection.connectorId,
    connectionId: connection.id,
    status,
    connection: connection.status,
    health: healthOf(connection),
    progress: currentRun?.progress ?? null,
    eta: currentRun?.eta ?? null,
    lastSync: connection.lastSyncAt,
    lastSyncStatus: connection.lastSyncStatus,
    run: currentRun ?? lastRun,
    currentRun,
    currentRuns: active.map(runView),
    lastRun,
    lastRuns,
  };
}

function parseLevel(raw: unknown): (typeof DEBUG_LEVELS)[number] {
  if (raw === undefined || raw === null) return 'verbose';
  if (typeof raw === 'string' && (DEBUG_LEVELS as readonly string[]).includes(raw)) return raw as (typeof DEBUG_LEVELS)[number];
  throw new LumioError('FIELD_INVALID', `level must be one of ${DEBUG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}.`, { status: 400, fault: 'caller', details: { field: 'level' } });
}

function parseDuration(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_DEBUG_DURATION_SECONDS;
  if (typeof raw !== 'number') {
    throw new LumioError('FIELD_INVALID', `duration must be a number of seconds, got ${JSON.stringify(raw)}.`, { status: 400, fault: 'caller', details: { field: 'duration' } });
  }
  // The switch checks the range, so the message names the limit it enforces.
  return raw;
}
