/**
 * Runs the tasks API simulator as a process, for the connector guide and by hand.
 *
 *   node --import tsx test/simulators/tasks-api/serve.ts --port 4010 --api-key dev-key-0123456789
 *
 * Once listening it prints one JSON line, {"url": "...", "pid": ...}, on stdout. It
 * closes on SIGTERM or SIGINT (Ctrl-C) and exits with status 0.
 */
import { parseArgs } from 'node:util';

import { createTasksSimulator } from './simulator.js';

const HELP = `Usage: serve.ts [options]
  --port N             port to listen on; 0 picks a free port (default 0)
  --host ADDRESS       loopback address to bind (default 127.0.0.1)
  --api-key KEY        accepted X-Api-Key value; repeat for several (default dev-key-0123456789)
  --tasks N            tasks to generate (default 25)
  --seed N             seed of the generated data (default 1)
  --throttle-every N   every N-th API request gets 429 with Retry-After: 1 (default 0, off)
  --help               print this help`;

function integerOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`The option --${name} must be a whole number of 0 or more, got "${String(raw)}".`);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      tasks: { type: 'string' },
      seed: { type: 'string' },
      'throttle-every': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stderr.write(`${HELP}\n`);
    return;
  }

  const simulator = createTasksSimulator({
    apiKeys: values['api-key'] ?? ['dev-key-0123456789'],
    seed: { count: integerOption(values, 'tasks') ?? 25, seed: integerOption(values, 'seed') ?? 1 },
    throttleEvery: integerOption(values, 'throttle-every') ?? 0,
  });
  const running = await simulator.start({ port: integerOption(values, 'port') ?? 0, host: values.host ?? '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);

  const stop = (signal: string): void => {
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Tasks simulator: closing after ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`Tasks simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
