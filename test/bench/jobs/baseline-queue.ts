import type { Knex } from 'knex';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

import { silentLogger } from '../../../platform/src/observability/index.js';
import { openStore } from '../../../platform/src/store/index.js';
import { createTemporaryDatabase, type DatabaseKind } from '../../store/temporary-database.js';

/** Rates of the baseline loops, in jobs per second. */
export interface BaselineRates {
  enqueuePerSecond: number;
  processPerSecond: number;
}

export interface BaselineOptions {
  jobs: number;
  producers: number;
  concurrency: number;
}

/**
 * Runs the least work a database queue does per job, with none of the queue's features. The
 * producers insert one row per job. Then workers each take one row with a single UPDATE
 * (SKIP LOCKED on PostgreSQL) and mark it done with a second one.
 */
export async function runDatabaseBaseline(kind: DatabaseKind, options: BaselineOptions): Promise<BaselineRates> {
  const database = await createTemporaryDatabase(kind);
  const store = await openStore({ ...database.options, logger: silentLogger });
  const knex = store.knex;
  try {
    await knex.schema.createTable('bench_baseline_jobs', (table) => {
      table.increments('id');
      table.text('state').notNullable();
      table.index(['state']);
    });

    const enqueuePerSecond = await timeLoops(options.producers, options.jobs, () => knex('bench_baseline_jobs').insert({ state: 'queued' }));
    const processPerSecond = await timeLoops(options.concurrency, options.jobs, async () => {
      const id = await takeOne(knex, kind);
      if (id !== null) await knex('bench_baseline_jobs').where({ id }).update({ state: 'done' });
    });
    return { enqueuePerSecond, processPerSecond };
  } finally {
    await store.close();
    await database.dispose();
  }
}

async function takeOne(knex: Knex, kind: DatabaseKind): Promise<number | null> {
  const lock = kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const result = await knex.raw(`UPDATE bench_baseline_jobs SET state = 'running' WHERE id = (SELECT id FROM bench_baseline_jobs WHERE state = 'queued' ORDER BY id LIMIT 1${lock}) RETURNING id`);
  const rows = (kind === 'postgres' ? result.rows : result) as Array<{ id: number }>;
  return rows[0]?.id ?? null;
}

/**
 * Runs the least work a Redis queue does per job: LPUSH from the producers, then workers
 * that each move one entry to a processing list with LMOVE and remove it with LREM.
 */
export async function runRedisBaseline(redisUrl: string, options: BaselineOptions): Promise<BaselineRates> {
  const redis = new Redis(redisUrl);
  const prefix = `lumio-bench-baseline-${randomBytes(4).toString('hex')}`;
  try {
    let sequence = 0;
    const enqueuePerSecond = await timeLoops(options.producers, options.jobs, async () => {
      sequence += 1;
      await redis.lpush(`${prefix}:waiting`, String(sequence));
    });
    const processPerSecond = await timeLoops(options.concurrency, options.jobs, async () => {
      const id = await redis.lmove(`${prefix}:waiting`, `${prefix}:active`, 'RIGHT', 'LEFT');
      if (id !== null) await redis.lrem(`${prefix}:active`, 1, id);
    });
    return { enqueuePerSecond, processPerSecond };
  } finally {
    await redis.del(`${prefix}:waiting`, `${prefix}:active`);
    await redis.quit();
  }
}

/** Runs `step` `total` times from `loops` concurrent loops and returns steps per second. */
async function timeLoops(loops: number, total: number, step: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const loop = async () => {
    while (next < total) {
      next += 1;
      await step();
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: loops }, loop));
  return total / ((performance.now() - started) / 1000);
}
