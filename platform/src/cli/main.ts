import { Command } from 'commander';

import { ALL_SCOPES, startPlatform } from '../app/index.js';
import { loadConfig, type PlatformConfig } from '../config/index.js';
import { isLumioError } from '../errors/index.js';
import { createLogger } from '../observability/index.js';
import { openStore } from '../store/index.js';
import { formatBanner } from './banner.js';
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
