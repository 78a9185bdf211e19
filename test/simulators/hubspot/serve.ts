/**
 * Runs the HubSpot simulator as a process for the demo and benchmarks.
 *
 *   node --import tsx test/simulators/hubspot/serve.ts --port 0 --contacts 25000 --token demo-token
 *
 * Once listening it prints one JSON line, {"url": "...", "pid": ...}, on stdout and
 * nothing else there. It closes on SIGTERM or SIGINT and exits with status 0.
 */
import { parseArgs } from 'node:util';

import { createHubSpotSimulator } from './simulator.js';
import type { HubSpotSimulatorOptions } from './simulator.js';

const HELP = `Usage: serve.ts [options]
  --port N              port to listen on; 0 picks a free port (default 0)
  --host ADDRESS        loopback address to bind (default 127.0.0.1)
  --token TOKEN         accepted bearer token; repeat for several (default test-token)
  --seed N              PRNG seed of the generated data (default 1)
  --contacts N          unarchived contacts to generate (default 100)
  --companies N         unarchived companies to generate (default 0)
  --deals N             unarchived deals to generate (default 0)
  --tied N              contacts sharing one lastmodifieddate (default min(300, contacts / 10))
  --archived N          archived contacts added on top of --contacts (default contacts / 100)
  --rate-limit N        requests allowed per 10 seconds per token (default 100)
  --search-rate-limit N search requests allowed per second per token (default 5)
  --no-rate-limit       turn rate limiting off, for benchmarks
  --control             serve the /__simulator/ control API
  --help                print this help`;

function integerOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) {
    return undefined;
  }
  const number = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(number)) {
    throw new Error(`The option --${name} must be a non-negative integer, got "${String(raw)}".`);
  }
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string', multiple: true },
      seed: { type: 'string' },
      contacts: { type: 'string' },
      companies: { type: 'string' },
      deals: { type: 'string' },
      tied: { type: 'string' },
      archived: { type: 'string' },
      'rate-limit': { type: 'string' },
      'search-rate-limit': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      control: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });

  if (values.help === true) {
    process.stderr.write(`${HELP}\n`);
    return;
  }

  const contacts = integerOption(values, 'contacts') ?? 100;
  const options: HubSpotSimulatorOptions = {
    tokens: values.token ?? ['test-token'],
    controlApi: values.control === true,
    seed: {
      seed: integerOption(values, 'seed') ?? 1,
      contacts: {
        count: contacts,
        tiedLastModifiedCount: integerOption(values, 'tied'),
        archivedCount: integerOption(values, 'archived'),
      },
      companies: integerOption(values, 'companies') ?? 0,
      deals: integerOption(values, 'deals') ?? 0,
    },
    rateLimit:
      values['no-rate-limit'] === true
        ? false
        : { maxPerInterval: integerOption(values, 'rate-limit'), searchPerSecond: integerOption(values, 'search-rate-limit') },
  };

  const simulator = createHubSpotSimulator(options);
  const running = await simulator.start({ port: integerOption(values, 'port') ?? 0, host: values.host ?? '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);

  const stop = (signal: string): void => {
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`HubSpot simulator: closing after ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`HubSpot simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
