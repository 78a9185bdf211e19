import type { Command } from 'commander';

import type { PlatformConfig } from '../config/index.js';
import { LumioError } from '../errors/index.js';
import { createLogger } from '../observability/index.js';
import { decodeMasterKey } from '../security/index.js';
import { retireMasterKey, rotateMasterKey, DEFAULT_REENCRYPT_BATCH_SIZE, type RetireReport, type RotationReport } from '../security/key-rotation/index.js';
import { openStore } from '../store/index.js';

interface RotateCommandOptions {
  keyStdin?: boolean;
  reencryptOnly?: boolean;
  retire?: string;
  batchSize: string;
}

const TABLE_LABELS: Record<string, string> = {
  credentials: 'connection credentials',
  webhook_secrets: 'webhook settings',
  event_subscriptions: 'event subscription secrets',
  oauth_states: 'pending OAuth authorizations',
};

/** Adds `lumio rotate-master-key` to the program. */
export function registerRotateMasterKeyCommand(program: Command, readConfig: () => PlatformConfig): void {
  program
    .command('rotate-master-key')
    .description(
      'Make a new master key active and re-encrypt every stored secret with it while Lumio keeps running; with --retire, remove an old key that no stored secret uses.',
    )
    .option('--key-stdin', 'read the new key (base64 of 32 bytes) from standard input instead of generating one')
    .option('--reencrypt-only', 'add no key; re-encrypt rows that still use an older key (finishes an interrupted rotation)')
    .option('--retire <keyId>', 'remove this key from the key file, refused while any stored row uses it')
    .option('--batch-size <rows>', 'rows read per query while re-encrypting', String(DEFAULT_REENCRYPT_BATCH_SIZE))
    .action(async (options: RotateCommandOptions) => {
      const config = readConfig();
      // The report on standard output is the command's result, so the default level leaves out info logs.
      const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
      const batchSize = parseBatchSize(options.batchSize);
      const newKey = options.keyStdin ? await readKeyFromStdin() : undefined;

      const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
      try {
        const keyOptions = { masterKeys: config.masterKeys, masterKey: config.masterKey, dataDir: config.dataDir, logger, store };
        if (options.retire !== undefined) {
          process.stdout.write(formatRetireReport(await retireMasterKey({ ...keyOptions, keyId: options.retire })));
          return;
        }

        const report = await rotateMasterKey({ ...keyOptions, newKey, reEncryptOnly: options.reencryptOnly === true, batchSize });
        process.stdout.write(formatRotationReport(report));
        if (report.failures.length > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

function parseBatchSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new LumioError('OPTION_INVALID', `--batch-size must be a whole number from 1 to 10000, got "${text}".`, { status: 400, fault: 'caller' });
  }
  return value;
}

async function readKeyFromStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);

  const key = decodeMasterKey(Buffer.concat(chunks).toString('utf8'));
  if (!key) {
    throw new LumioError('MASTER_KEY_INVALID', 'Standard input is not base64 of exactly 32 bytes; pipe in a key made with `openssl rand -base64 32`.', { status: 400, fault: 'caller' });
  }
  return key;
}

function formatRotationReport(report: RotationReport): string {
  const lines: string[] = [];
  if (report.keyAdded) lines.push(`Added master key ${report.activeKeyId} to ${report.path} and made it active (it was ${report.previousKeyId}). Back up the key file now.`);
  else lines.push(`Active master key: ${report.activeKeyId} (from ${report.source === 'file' ? report.path : 'the environment'}).`);

  lines.push(`Re-encrypted ${report.totalMoved} rows:`);
  for (const [table, count] of Object.entries(report.moved)) lines.push(`  ${TABLE_LABELS[table] ?? table}: ${count}`);
  if (report.changedMeanwhile > 0) lines.push(`${report.changedMeanwhile} rows were rewritten by the running platform meanwhile and kept as it wrote them.`);

  for (const failure of report.failures) {
    lines.push(`Could not decrypt ${TABLE_LABELS[failure.table] ?? failure.table} row ${failure.id} (key ${failure.keyId}, ${failure.code}); it keeps its old key.`);
  }

  const inUse = Object.entries(report.rowsByKey).map(([keyId, rows]) => `${keyId}: ${rows}`);
  lines.push(`Stored rows per key: ${inUse.length > 0 ? inUse.join(', ') : 'none'}.`);
  for (const keyId of report.retirableKeyIds) {
    lines.push(`No row uses key ${keyId} any more; retire it with \`npm run lumio -- rotate-master-key --retire ${keyId}\`.`);
  }
  return `${lines.join('\n')}\n`;
}

function formatRetireReport(report: RetireReport): string {
  const where = report.removedFromFile
    ? `Removed master key ${report.keyId} from ${report.path}; running processes drop it within seconds.`
    : `No stored row uses master key ${report.keyId}; remove it from LUMIO_MASTER_KEYS and restart every Lumio process.`;
  return `${where}\nKeys still configured: ${report.remainingKeyIds.join(', ')}.\n`;
}
