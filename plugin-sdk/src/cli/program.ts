import { readFileSync } from 'node:fs';

import { Command } from 'commander';

import { validateConnectorDirectory } from '../validate/index.js';
import { addAuthoringCommands } from './authoring-commands.js';
import { formatJsonReport, formatTextReport } from './format-report.js';

interface ValidateCommandOptions {
  json?: boolean;
}

/** Builds the lumio-connector command line program. */
export function createProgram(): Command {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

  const program = new Command('lumio-connector')
    .description('Tools for Lumio connector authors.')
    .version(packageJson.version, '-V, --version', 'print the SDK version')
    // Commander throws instead of exiting, so main.ts can give usage errors exit status 2.
    .exitOverride();

  program
    .command('validate')
    .summary('validate connector manifests')
    .description(
      'Validate connector manifests: JSON syntax, the manifest schema, and checks across fields ' +
        '(mapping targets, template variables, operations, rate-limit groups, time zones, plugin entry). ' +
        'Exits with status 1 when any manifest is invalid.',
    )
    .argument('<paths...>', 'connector directories (containing manifest.json) or manifest.json files')
    .option('--json', 'print the results as JSON instead of one line per issue')
    .action(async (paths: string[], options: ValidateCommandOptions) => {
      const results = [];
      for (const path of paths) results.push(await validateConnectorDirectory(path));

      const report = options.json === true ? formatJsonReport(results, process.cwd()) : formatTextReport(results, process.cwd());
      console.log(report);
      process.exitCode = results.every((result) => result.valid) ? 0 : 1;
    });

  addAuthoringCommands(program);
  return program;
}
