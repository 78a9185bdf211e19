import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { silentLogger } from '../../platform/src/observability/index.js';
import type { OpenStoreOptions } from '../../platform/src/store/index.js';

// Temporary databases for tests and benchmarks: a SQLite folder, or a PostgreSQL database
// created on the server of LUMIO_TEST_DATABASE_URL. This file imports no test framework, so
// scripts outside vitest can use it too.

export type DatabaseKind = 'sqlite' | 'postgres';

/** Admin URL of the PostgreSQL server used for tests, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
export const POSTGRES_ADMIN_URL = process.env.LUMIO_TEST_DATABASE_URL || undefined;

/** A database created for tests, and how to remove it. */
export interface TemporaryDatabase {
  kind: DatabaseKind;
  /** Options for `openStore`; `dataDir` is a fresh temporary folder in both cases. */
  options: OpenStoreOptions;
  /** Drops the PostgreSQL database (closing other sessions on it) and deletes the data folder. */
  dispose(): Promise<void>;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function runAdminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database: a SQLite file in a temporary folder, or a PostgreSQL
 * database named `lumio_test_<random>` on the server of LUMIO_TEST_DATABASE_URL.
 */
export async function createTemporaryDatabase(kind: DatabaseKind): Promise<TemporaryDatabase> {
  const adminUrl = POSTGRES_ADMIN_URL;
  if (kind === 'postgres' && !adminUrl) {
    throw new Error('LUMIO_TEST_DATABASE_URL is not set, so no PostgreSQL test database can be created.');
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-store-test-'));
  if (kind === 'sqlite' || !adminUrl) {
    return {
      kind,
      options: { dataDir, logger: silentLogger },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }

  const name = `lumio_test_${randomBytes(6).toString('hex')}`;
  try {
    await runAdminQuery(adminUrl, `CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  return {
    kind,
    options: { databaseUrl: databaseUrl.toString(), dataDir, logger: silentLogger },
    async dispose() {
      // FORCE (PostgreSQL 13+) ends sessions a failed test left open.
      await runAdminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
