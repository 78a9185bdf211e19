import type { PlatformConfig } from '../config/index.js';
import type { Logger } from '../observability/index.js';
import { openStore, type StoredUser } from '../store/index.js';
import { readPassword } from './read-password.js';
import { accessSettingsFromConfig } from './settings.js';
import { checkEmail, checkRole, createUser } from './users.js';

export interface CreateUserCommandOptions {
  email: string;
  name?: string;
  role: string;
}

/**
 * Creates a studio user in the default workspace, for the `create-admin` and `create-user`
 * commands. The password comes from LUMIO_ADMIN_PASSWORD when set, otherwise from standard
 * input, and is never printed.
 */
export async function createUserFromCommandLine(config: PlatformConfig, options: CreateUserCommandOptions, logger: Logger): Promise<StoredUser> {
  // Bad arguments fail before the password prompt, so a password is never typed in vain.
  const email = checkEmail(options.email);
  const role = checkRole(options.role);
  const password = config.adminPassword ?? (await readPassword(`Password for ${email} (at least 12 characters, not shown): `));

  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    const workspace = await store.workspaces.getOrCreateDefault();
    return await createUser(store, workspace.id, { email, name: options.name, role, password }, accessSettingsFromConfig(config).scrypt);
  } finally {
    await store.close();
  }
}
