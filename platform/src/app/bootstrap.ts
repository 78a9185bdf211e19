import { PERMISSIONS } from '../access/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';

/** Every permission an API key can carry; the admin key gets them all. */
export const ALL_SCOPES: string[] = [...PERMISSIONS];

export interface AdminKeyResult {
  workspaceId: string;
  /** The plaintext key when it was created in this start; keys are stored hashed and shown once. */
  createdKey: string | null;
  /** Whether LUMIO_ADMIN_API_KEY supplied the key. */
  fromEnvironment: boolean;
}

/**
 * Makes sure the default workspace exists and has an admin API key: the one from
 * LUMIO_ADMIN_API_KEY when set, otherwise a new one on first start.
 */
export async function ensureAdminKey(store: Store, adminApiKey: string | undefined, logger: Logger): Promise<AdminKeyResult> {
  const workspace = await store.workspaces.getOrCreateDefault();

  if (adminApiKey) {
    const known = await store.apiKeys.verify(adminApiKey);
    if (!known) {
      await store.apiKeys.create(workspace.id, 'admin (from LUMIO_ADMIN_API_KEY)', ALL_SCOPES, { plaintext: adminApiKey });
      logger.info({ workspaceId: workspace.id }, 'admin API key from LUMIO_ADMIN_API_KEY registered');
    }
    return { workspaceId: workspace.id, createdKey: null, fromEnvironment: true };
  }

  const existing = await store.apiKeys.list(workspace.id);
  if (existing.some((key) => key.revokedAt === null)) {
    return { workspaceId: workspace.id, createdKey: null, fromEnvironment: false };
  }

  const { key } = await store.apiKeys.create(workspace.id, 'admin', ALL_SCOPES);
  logger.info({ workspaceId: workspace.id }, 'admin API key created');
  return { workspaceId: workspace.id, createdKey: key, fromEnvironment: false };
}
