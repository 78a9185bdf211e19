import type { Store } from '../store/index.js';
import { isPlainObject } from './request-details.js';

/** The identity a login's audit entry records, and the user account the login was for. */
export interface LoginIdentity {
  workspaceId: string | null;
  actor: string;
  userId: string | null;
  apiKeyId: null;
  /** The user the login was for, when known. */
  resource: string | null;
}

/**
 * Identifies a login for its audit entry. A successful one names the user from the
 * response. A failed one is `anonymous`, filed under the workspace of the user whose
 * e-mail address was tried, so that workspace's admins see attempts on their accounts. An
 * address no user has gives no workspace. The address itself is never stored.
 */
export async function identifyLogin(store: Store, body: Record<string, unknown> | null, response: Record<string, unknown> | null): Promise<LoginIdentity> {
  const user = isPlainObject(response?.user) ? response.user : null;
  if (user && typeof user.id === 'string' && typeof user.workspaceId === 'string') {
    return { workspaceId: user.workspaceId, actor: `user:${user.id}`, userId: user.id, apiKeyId: null, resource: user.id };
  }

  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  const known = email === '' ? null : await store.users.findForLogin(email).catch(() => null);
  return { workspaceId: known?.workspaceId ?? null, actor: 'anonymous', userId: null, apiKeyId: null, resource: known?.id ?? null };
}
