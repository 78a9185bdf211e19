// Entry point of the lumio-connector command, started by plugin-sdk/bin/lumio-connector.js.
import { createProgram } from './program.js';

await createProgram().parseAsync(process.argv);
