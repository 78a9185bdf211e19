import { InvalidArgumentError, Option, type Command } from 'commander';

import { buildConnectorPlugin, recordConnector, replayConnector, runStream, scaffoldConnector, type StreamMode } from '../authoring/index.js';
import { printLine, runAction } from './run-action.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const CONFIG_HELP =
  'JSON file of the connection: {"config": {…}, "credentials": {…}, "authMethod": "…"}; "config.baseUrl" points at a simulator or sandbox. The credentials are never printed or saved';

interface LogLevelOptions {
  logLevel: string;
}

function logLevelOption(): Option {
  return new Option('--log-level <level>', "level of the platform's JSON log, written to standard error").choices(LOG_LEVELS).default('silent');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(limit)) throw new InvalidArgumentError('Give a whole number of records, 0 or more.');
  return limit;
}

/** Adds the commands that create, build, record, replay and run connectors. */
export function addAuthoringCommands(program: Command): void {
  program
    .command('new')
    .summary('create a connector folder from a template')
    .description(
      'Create <dir>/<id>/ with a valid manifest.json (one object, a paginated list request and a default mapping), ' +
        'plugin/index.ts with a transformPage hook, an empty fixtures/ folder, README.md, and connector.test.ts, which replays the fixtures. ' +
        'Writes nothing when the folder exists (exit status 1).',
    )
    .argument('<id>', 'connector id: 2 to 63 lower-case letters, digits and hyphens, starting with a letter')
    .option('--dir <folder>', 'folder the connector folder is created in', 'connectors')
    .option('--name <name>', 'display name (default: the id in title case)')
    .action((id: string, options: { dir: string; name?: string }) =>
      runAction(async () => {
        await scaffoldConnector({ id, parentDirectory: options.dir, ...(options.name === undefined ? {} : { name: options.name }), out: printLine });
      }),
    );

  program
    .command('build')
    .summary("bundle and type-check a connector's plugin, and print its hash and size")
    .description(
      "Validate the manifest, then bundle the plugin it declares with esbuild, as the platform does when it loads the connector. " +
        'Then type-check the plugin and every file it imports with TypeScript (strict, ES2022, no DOM or Node types), when TypeScript ' +
        "5.0 or later is installed. Prints the bundle's SHA-256 (hex) and size in bytes. With bundling problems or type errors, prints " +
        'them as file:line:column: message, writes nothing and exits with status 1.',
    )
    .argument('<dir>', 'connector folder (containing manifest.json)')
    .option('--out <file>', 'also write the bundle to this file')
    .option('--no-typecheck', 'skip the TypeScript type check and only bundle')
    .action((directory: string, options: { out?: string; typecheck: boolean }) =>
      runAction(async () => {
        await buildConnectorPlugin({ directory, ...(options.out === undefined ? {} : { outFile: options.out }), typecheck: options.typecheck, out: printLine });
      }),
    );

  program
    .command('record')
    .summary('record HTTP exchanges of each stream as fixtures')
    .description(
      "Run each object's stream against the provider or a simulator through the platform's runtime: a full run, then an incremental run " +
        'from where it ended. Saves every HTTP exchange to fixtures/<object>.<mode>.json with credentials, tokens, e-mail addresses and phone ' +
        'numbers replaced by stable placeholders. Writes nothing unless every run succeeds. Needs @lumio/platform installed.',
    )
    .argument('<dir>', 'connector folder (containing manifest.json)')
    .requiredOption('--config <file>', CONFIG_HELP)
    .option('--object <name>', 'object to record; repeat for several (default: every object with a list request, or every object when the plugin reads streams)', collect, [])
    .option('--no-incremental', 'record only full runs')
    .addOption(logLevelOption())
    .action((directory: string, options: { config: string; object: string[]; incremental: boolean } & LogLevelOptions) =>
      runAction(async () => {
        await recordConnector({ directory, connectionFile: options.config, objects: options.object, incremental: options.incremental, logLevel: options.logLevel, out: printLine });
      }),
    );

  program
    .command('test')
    .summary('replay the fixtures offline and compare with the snapshots')
    .description(
      "Replay each recording in fixtures/ through the platform's runtime with no network: requests are answered from the recording, and one " +
        'that is not recorded fails the replay. The plugin runs in the sandbox and the default mapping maps each page. The mapped records and ' +
        'the final stream state are compared with snapshots/<object>.<mode>.json. Exits with status 1 when any replay fails. Needs @lumio/platform installed.',
    )
    .argument('<dir>', 'connector folder (containing manifest.json)')
    .option('--update', 'write the results as the new snapshots instead of comparing')
    .option('--object <name>', 'replay only this object; repeat for several (default: every recorded object)', collect, [])
    .addOption(logLevelOption())
    .action((directory: string, options: { update?: boolean; object: string[] } & LogLevelOptions) =>
      runAction(async () => {
        const summary = await replayConnector({ directory, update: options.update === true, objects: options.object, logLevel: options.logLevel, out: printLine });
        return summary.failed > 0 ? 1 : 0;
      }),
    );

  program
    .command('run')
    .summary('read one stream and print requests, responses and mapped records')
    .description(
      "Read one object's stream from the provider or a simulator through the platform's runtime, and print each request (secrets redacted), " +
        'its response status and size, and each record as the default mapping maps it. Ends with a warning when no record read gave a cursor at ' +
        'incremental.cursorField, and one per default-mapping source path that was missing or null in every record read. Exits with status 1 ' +
        'when any record had mapping errors. Needs @lumio/platform installed.',
    )
    .argument('<dir>', 'connector folder (containing manifest.json)')
    .requiredOption('--config <file>', CONFIG_HELP)
    .requiredOption('--object <name>', 'object to read, as the manifest names it')
    .addOption(new Option('--mode <mode>', 'full reads every record; incremental reads changes since the cursor in --state').choices(['full', 'incremental']).default('full'))
    .option('--limit <records>', 'stop after printing this many records; 0 reads the whole stream', parseLimit, 20)
    .option('--state <file>', 'stream state file: read before the run when it exists, written after it')
    .option('--raw', 'print records as read (after the plugin transform), before the default mapping')
    .addOption(logLevelOption())
    .action((directory: string, options: { config: string; object: string; mode: StreamMode; limit: number; state?: string; raw?: boolean } & LogLevelOptions) =>
      runAction(async () => {
        const summary = await runStream({
          directory,
          connectionFile: options.config,
          object: options.object,
          mode: options.mode,
          limit: options.limit,
          ...(options.state === undefined ? {} : { stateFile: options.state }),
          raw: options.raw === true,
          logLevel: options.logLevel,
          out: printLine,
        });
        return summary.recordsWithMappingErrors > 0 ? 1 : 0;
      }),
    );
}
