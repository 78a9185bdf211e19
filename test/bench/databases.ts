import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

/** A fresh, empty database for one measured run: a SQLite folder, or a `lumio_bench_*` PostgreSQL database. */
export async function createBenchDatabase(kind: 'sqlite' | 'postgres', adminUrl: string | undefined): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lumio-bench-'));
  if (kind === 'sqlite') {
    return { kind, dataDir, databaseUrl: undefined, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }

  if (!adminUrl) throw new Error('A PostgreSQL benchmark needs LUMIO_TEST_DATABASE_URL.');
  const name = `lumio_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    async dispose() {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
