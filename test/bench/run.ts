/**
 * Full-sync benchmark: records per second for a full HubSpot contacts sync through the
 * platform, on SQLite and (with LUMIO_TEST_DATABASE_URL) on PostgreSQL. The baseline, run in
 * the same process, is a loop that fetches the same pages and inserts the same rows in batches.
 *
 *   npm run bench                      # SQLite only
 *   LUMIO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 *
 * Options (environment): BENCH_CONTACTS (default 25000), BENCH_ROUNDS (default 3).
 */
import { runBaselineSync } from './baseline-sync.js';
import { createTemporaryDatabase } from '../store/temporary-database.js';
import { describeMachine, median } from './machine.js';
import { runPlatformSync } from './platform-sync.js';
import { startSimulatorProcess } from './simulator-process.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 25_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POSTGRES_URL = process.env.LUMIO_TEST_DATABASE_URL || undefined;
const TOKEN = 'bench-token';

/** Targets: 10,000 records/s on SQLite, and at least 0.6 of the baseline's rate. */
const TARGET_SQLITE_RATE = 10_000;
const TARGET_RATIO = 0.6;

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${process.env.npm_lifecycle_event ? 'npm run bench' : 'node --import tsx test/bench/run.ts'} (contacts ${CONTACTS}, rounds ${ROUNDS}, median reported)`);

  const simulator = await startSimulatorProcess(CONTACTS, TOKEN);
  const kinds = POSTGRES_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
  const results: Record<string, unknown>[] = [];

  try {
    for (const kind of kinds) {
      const platformRates: number[] = [];
      const baselineRates: number[] = [];

      // Rounds alternate baseline and platform so drift on the machine affects both alike.
      for (let round = 0; round < ROUNDS; round += 1) {
        const baselineDb = await createTemporaryDatabase(kind);
        const baseline = await runBaselineSync(simulator.url, TOKEN, baselineDb).finally(() => baselineDb.dispose());
        baselineRates.push(baseline.records / baseline.seconds);

        const platformDb = await createTemporaryDatabase(kind);
        const run = await runPlatformSync(simulator.url, TOKEN, platformDb).finally(() => platformDb.dispose());
        platformRates.push(run.records / run.seconds);
        console.log(`  ${kind} round ${round + 1}: platform ${Math.round(run.records / run.seconds)} records/s (${run.records} in ${run.seconds.toFixed(2)} s), baseline ${Math.round(baselineRates.at(-1)!)} records/s`);
      }

      const platformRate = median(platformRates);
      const baselineRate = median(baselineRates);
      const ratio = platformRate / baselineRate;
      const meetsRate = kind !== 'sqlite' || platformRate >= TARGET_SQLITE_RATE;
      results.push({ database: kind, platformRecordsPerSecond: Math.round(platformRate), baselineRecordsPerSecond: Math.round(baselineRate), ratio: Number(ratio.toFixed(2)), meetsTarget: meetsRate && ratio >= TARGET_RATIO });
    }
  } finally {
    await simulator.stop();
  }

  console.log('');
  console.log('| database | platform records/s | baseline records/s | ratio | target met |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const result of results) {
    console.log(`| ${result.database} | ${result.platformRecordsPerSecond} | ${result.baselineRecordsPerSecond} | ${result.ratio} | ${result.meetsTarget ? 'yes' : 'no'} |`);
  }
  console.log(`targets: at least ${TARGET_SQLITE_RATE} records/s on SQLite, ratio at least ${TARGET_RATIO}`);
  console.log(JSON.stringify({ benchmark: 'full-sync', contacts: CONTACTS, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
