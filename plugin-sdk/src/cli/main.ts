// Entry point of the lumio-connector command, started by plugin-sdk/bin/lumio-connector.js.
// Exit status: 0 when everything passed, 1 when a problem was found, 2 for a usage error.
import { CommanderError } from 'commander';

import { createProgram } from './program.js';

const USAGE_ERROR_EXIT_CODE = 2;

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has already printed the problem or the help text; help and --version end with 0.
  process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE;
}
