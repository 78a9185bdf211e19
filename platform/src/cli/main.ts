import { Command } from 'commander';

import { createUserFromCommandLine, ROLES } from '../access/index.js';
import { ALL_SCOPES, startPlatform } from '../app/index.js';
import { loadConfig, type PlatformConfig } from '../config/index.js';
import { isLumioError } from '../errors/index.js';
import { createLogger } from '../observability/index.js';
import { openStore } from '../store/index.js';
import { formatBanner } from './banner.js';
import { registerRotateMasterKeyCommand } from './rotate-master-key-command.js';
import { startWorkers } from './start-workers.js';

const program = new Command('lumio').description('Lumio Integrations platform.');

program
  .command('start')
  .description('Start the API, the job and sync workers and (outside production) the HubSpot sandbox, in one process.')
  .option('--no-worker', 'serve the API only and leave jobs and syncs to `lumio worker` processes')
  .action(async (options: { worker: boolean }) => {
    const config = readConfig();
    const logger = createLogger({ level: config.logLevel });
    const platform = await startPlatform(config, logger, { worker: options.worker });
    process.stdout.write(formatBanner(platform) + '\n');

    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await platform.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('worker')
  .description('Run the job and webhook workers without the HTTP server; start as many as the load needs beside `lumio start`.')
  .action(async () => {
    const config = readConfig();
    const logger = createLogger({ level: config.logLevel });
    const workers = await startWorkers(config, logger);

    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await workers.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('admin-key')
  .description('Create a new admin API key for the default workspace and print it once.')
  .option('--name <name>', 'label stored with the key', 'admin')
  .action(async (options: { name: string }) => {
    const config = readConfig();
    const logger = createLogger({ level: 'warn' });
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    try {
      const workspace = await store.workspaces.getOrCreateDefault();
      const { key } = await store.apiKeys.create(workspace.id, options.name, ALL_SCOPES);
      process.stdout.write(`${key}\n`);
    } finally {
      await store.close();
    }
  });

registerRotateMasterKeyCommand(program, readConfig);

program
  .command('create-admin')
  .description('Create an admin user of the studio in the default workspace. The password comes from LUMIO_ADMIN_PASSWORD or standard input and is never shown.')
  .requiredOption('--email <email>', 'email the user logs in with')
  .option('--name <name>', 'name shown in the studio (default: the part of the email before @)')
  .action(async (options: { email: string; name?: string }) => {
    const config = readConfig();
    const user = await createUserFromCommandLine(config, { ...options, role: 'admin' }, createLogger({ level: 'warn' }));
    process.stdout.write(`Created admin ${user.email} (${user.id}) in workspace ${user.workspaceId}.\n`);
  });

program
  .command('create-user')
  .description('Create a studio user with a role in the default workspace. The password comes from LUMIO_ADMIN_PASSWORD or standard input and is never shown.')
  .requiredOption('--email <email>', 'email the user logs in with')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <name>', 'name shown in the studio (default: the part of the email before @)')
  .action(async (options: { email: string; name?: string; role: string }) => {
    const config = readConfig();
    const user = await createUserFromCommandLine(config, options, createLogger({ level: 'warn' }));
    process.stdout.write(`Created ${user.role} ${user.email} (${user.id}) in workspace ${user.workspaceId}.\n`);
  });

function readConfig(): PlatformConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (isLumioError(error) && error.code === 'CONFIG_INVALID') {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

program.parseAsync().catch((error: unknown) => {
  if (isLumioError(error) && error.code === 'CONFIG_INVALID') console.error(`Configuration error: ${error.message}`);
  else console.error(isLumioError(error) ? `${error.code}: ${error.message}` : error);
  process.exit(1);
});
