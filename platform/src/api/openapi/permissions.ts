import { findRouteAccess } from '../../access/index.js';

/**
 * Returns the permission a `/v1` route needs, read from the access rules the API enforces,
 * so the document cannot drift from them. `path` is a template (`/v1/integrations/{id}`) or
 * a request path. The result is null for routes that need no permission.
 */
export function permissionFor(method: string, path: string): string | null {
  const access = findRouteAccess(method, path);
  return access?.kind === 'permission' ? access.permission : null;
}
