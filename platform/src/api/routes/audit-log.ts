import { Hono } from 'hono';

import { LumioError } from '../../errors/index.js';
import type { AuditEntry } from '../../store/index.js';
import { checkNames } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const QUERY_PARAMETERS = ['limit', 'cursor', 'action', 'resource', 'since'];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** `GET /v1/audit-log`: the caller's workspace's audit entries, newest first. */
export function auditLogRoutes(services: Pick<ApiServices, 'store'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { workspaceId } = c.get('principal');
    checkNames(Object.keys(c.req.queries()), QUERY_PARAMETERS, 'query');

    const action = nonEmpty(c.req.query('action'), 'action');
    const resource = nonEmpty(c.req.query('resource'), 'resource');
    const since = parseSince(c.req.query('since'));
    const page = await services.store.auditLog.list({
      workspaceId,
      limit: parseLimit(c.req.query('limit')),
      cursor: c.req.query('cursor') ?? null,
      ...(action === undefined ? {} : { action }),
      ...(resource === undefined ? {} : { resource }),
      ...(since === undefined ? {} : { since }),
    });

    return c.json({ entries: page.entries.map(entryView), nextCursor: page.nextCursor });
  });

  return app;
}

function entryView(entry: AuditEntry) {
  return {
    id: entry.id,
    timestamp: new Date(entry.occurredAt).toISOString(),
    workspaceId: entry.workspaceId,
    actor: entry.actor,
    userId: entry.userId,
    apiKeyId: entry.apiKeyId,
    action: entry.action,
    resource: entry.resource,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
    status: entry.status,
    statusCode: entry.statusCode,
    requestId: entry.requestId,
    metadata: entry.metadata ?? {},
  };
}

function nonEmpty(raw: string | undefined, field: string): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') {
    throw new LumioError('FIELD_INVALID', `${field} must not be empty; leave it out to list entries of every ${field}.`, { status: 400, fault: 'caller', details: { field } });
  }
  return raw;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}

/** Parses `since`, an ISO 8601 date or time, to epoch milliseconds. */
function parseSince(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const time = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time)) {
    throw new LumioError('FIELD_INVALID', `since must be an ISO 8601 time such as 2025-01-10T15:30:00Z, got "${raw.slice(0, 100)}".`, { status: 400, fault: 'caller', details: { field: 'since' } });
  }
  return time;
}
