import { Hono } from 'hono';

import { checkRole, createUser, missingPermissions, ROLE_PERMISSIONS, userView, type AccessService, type ApiPrincipal, type Role } from '../../access/index.js';
import { LumioError } from '../../errors/index.js';
import { MAX_USER_PAGE_SIZE } from '../../store/index.js';
import { checkNames, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const DEFAULT_PAGE_SIZE = 50;

/**
 * Builds `/v1/users`: list the workspace's studio users, create one with a role and a
 * password, and delete one. A caller may create or delete only users whose role grants no
 * permission the caller lacks.
 */
export function userRoutes(services: ApiServices, access: AccessService): Hono<ApiEnv> {
  const { store, logger } = services;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    checkNames(Object.keys(c.req.queries()), ['limit', 'cursor'], 'query');
    const page = await store.users.list(c.get('principal').workspaceId, { limit: parseLimit(c.req.query('limit')), cursor: c.req.query('cursor') });
    return c.json({ users: page.users.map(userView), nextCursor: page.nextCursor });
  });

  app.post('/', async (c) => {
    const principal = c.get('principal');
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['email', 'name', 'role', 'password'], 'body');
    checkCanManage(principal, checkRole(body.role), 'create');

    const user = await createUser(store, principal.workspaceId, { email: body.email, name: body.name, role: body.role, password: body.password }, access.settings.scrypt);
    logger.info({ userId: user.id, workspaceId: user.workspaceId, role: user.role, actor: principal.actor }, 'user created');
    return c.json({ user: userView(user) }, 201);
  });

  app.delete('/:userId', async (c) => {
    const principal = c.get('principal');
    const userId = c.req.param('userId');
    const user = await store.users.get(principal.workspaceId, userId);
    if (!user) {
      throw new LumioError('USER_NOT_FOUND', `No user ${userId} exists in this workspace; GET /v1/users lists them.`, { status: 404, fault: 'caller' });
    }
    checkCanManage(principal, user.role, 'delete');

    await store.users.delete(principal.workspaceId, user.id);
    logger.info({ userId: user.id, workspaceId: user.workspaceId, actor: principal.actor }, 'user deleted');
    return c.body(null, 204);
  });

  return app;
}

/** Raises PERMISSION_DENIED (403) when the role grants permissions the caller lacks, so an admin can be made or removed only by a caller with every permission. */
function checkCanManage(principal: ApiPrincipal, role: Role, action: 'create' | 'delete'): void {
  const missing = missingPermissions(principal.permissions, ROLE_PERMISSIONS[role]);
  if (missing.length === 0) return;

  throw new LumioError('PERMISSION_DENIED', `You cannot ${action} a user with the role ${role}, because it grants ${missing.join(', ')}, which you do not hold.`, {
    status: 403,
    fault: 'caller',
    details: { field: 'role', permission: missing[0] },
  });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_USER_PAGE_SIZE) {
    throw new LumioError('FIELD_INVALID', `limit must be a whole number from 1 to ${MAX_USER_PAGE_SIZE}, got "${raw}".`, { status: 400, fault: 'caller', details: { field: 'limit' } });
  }
  return limit;
}
