import { randomBytes } from 'node:crypto';

import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import type { ScryptParameters } from './passwords.js';
import { createUser } from './users.js';

/** Email of the admin user the embedded demo creates, so the studio can be opened at once. */
export const DEMO_ADMIN_EMAIL = 'admin@lumio.local';

export interface DemoAdminResult {
  email: string;
  /** Whether the user was created in this start. */
  created: boolean;
  /** The generated password when the user was created in this start without LUMIO_ADMIN_PASSWORD; it is stored hashed and shown once. */
  createdPassword: string | null;
  /** Whether LUMIO_ADMIN_PASSWORD supplied the password. */
  fromEnvironment: boolean;
}

/**
 * Creates the demo admin in the default workspace when that workspace has no user yet, with
 * LUMIO_ADMIN_PASSWORD or a random password. A workspace with users is left as it is, so a
 * deleted demo admin does not come back.
 */
export async function ensureDemoAdmin(store: Store, adminPassword: string | undefined, scrypt: ScryptParameters, logger: Logger): Promise<DemoAdminResult> {
  const workspace = await store.workspaces.getOrCreateDefault();
  const fromEnvironment = adminPassword !== undefined;
  if ((await store.users.count(workspace.id)) > 0) {
    return { email: DEMO_ADMIN_EMAIL, created: false, createdPassword: null, fromEnvironment };
  }

  // 18 random bytes make 24 base64url characters, about 144 bits.
  const password = adminPassword ?? randomBytes(18).toString('base64url');
  const user = await createUser(store, workspace.id, { email: DEMO_ADMIN_EMAIL, name: 'Demo admin', role: 'admin', password }, scrypt);
  logger.info({ userId: user.id, workspaceId: workspace.id }, 'demo admin user created');
  return { email: DEMO_ADMIN_EMAIL, created: true, createdPassword: fromEnvironment ? null : password, fromEnvironment };
}
