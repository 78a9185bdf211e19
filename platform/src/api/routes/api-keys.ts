import { Hono } from 'hono';

import { isPermission, missingPermissions, PERMISSIONS, type ApiPrincipal } from '../../access/index.js';
import { LumioError } from '../../errors/index.js';
import { MAX_API_KEY_PAGE_SIZE, type ApiKeyRecord } from '../../store/index.js';
import { checkNames, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_NAME_LENGTH = 200;

/**
 * Builds `/v1/api-keys`: list the workspace's keys (never their hashes), create one whose
 * plaintext is returned once, and revoke one. A caller may create or revoke only keys whose
 * scopes it has itself.
 */
export function apiKeyRoutes(services: ApiServices): Hono<ApiEnv> {
  const { store, logger } = services;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    checkNames(Object.keys(c.req.queries()), ['limit', 'cursor'], 'query');
    const page = await store.apiKeys.listPage(c.get('principal').workspaceId, { limit: parseLimit(c.req.query('limit')), cursor: c.req.query('cursor') });
    return c.json({ apiKeys: page.apiKeys.map(apiKeyView), nextCursor: page.nextCursor });
  });

  app.post('/', async (c) => {
    const principal = c.get('principal');
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['name', 'scopes'], 'body');
    const name = readName(body.name);
    const scopes = readScopes(body.scopes);
    checkCanManage(principal, scopes, 'grant');

    const { key, record } = await store.apiKeys.create(principal.workspaceId, name, scopes);
    logger.info({ apiKeyId: record.id, workspaceId: record.workspaceId, actor: principal.actor, scopes }, 'API key created');
    return c.json({ apiKey: apiKeyView(record), key }, 201);
  });

  app.delete('/:keyId', async (c) => {
    const principal = c.get('principal');
    const keyId = c.req.param('keyId');
    const record = await store.apiKeys.get(keyId);
    // A key of another workspace is reported as missing, so its existence is not revealed.
    if (!record || record.workspaceId !== principal.workspaceId) {
      throw new LumioError('API_KEY_NOT_FOUND', `No API key ${keyId} exists in this workspace; GET /v1/api-keys lists them.`, { status: 404, fault: 'caller' });
    }
    checkCanManage(principal, record.scopes, 'revoke');

    if (await store.apiKeys.revoke(record.id)) {
      logger.info({ apiKeyId: record.id, workspaceId: record.workspaceId, actor: principal.actor }, 'API key revoked');
    }
    return c.body(null, 204);
  });

  return app;
}

function apiKeyView(record: ApiKeyRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
  };
}

function readName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
    throw new LumioError('FIELD_INVALID', `name is required: a label of at most ${MAX_NAME_LENGTH} characters naming the person or system that uses the key.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'name' },
    });
  }
  return value.trim();
}

function readScopes(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new LumioError('FIELD_INVALID', `scopes must be a non-empty list of permissions from ${PERMISSIONS.join(', ')}.`, { status: 400, fault: 'caller', details: { field: 'scopes' } });
  }

  const unknown = value.filter((scope) => !isPermission(scope));
  if (unknown.length > 0) {
    throw new LumioError('FIELD_INVALID', `scopes contains unknown permissions ${unknown.map((scope) => JSON.stringify(scope)).join(', ')}; use ${PERMISSIONS.join(', ')}.`, {
      status: 400,
      fault: 'caller',
      details: { field: 'scopes' },
    });
  }
  return [...new Set(value as string[])];
}

/** Raises PERMISSION_DENIED (403) when the key has scopes the caller lacks, so no caller can hand out or take away more than it has. */
function checkCanManage(principal: ApiPrincipal, scopes: readonly string[], action: 'grant' | 'revoke'): void {
  const missing = missingPermissions(principal.permissions, scopes);
  if (missing.length === 0) return;

  const verb = action === 'grant' ? 'grant' : 'revoke a key with';
  throw new LumioError('PERMISSION_DENIED', `You cannot ${verb} the scopes ${missing.join(', ')}, because you do not hold them yourself.`, {
    status: 403,
    fault: 'caller',
    details: { field: 'scopes', permission: missing[0] },
  });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_API_KEY_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_API_KEY_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}
