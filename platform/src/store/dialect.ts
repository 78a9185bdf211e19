import type { Knex } from 'knex';

/** The two databases the store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Knex client names used by `openStore`. Migrations read them back to pick column types. */
export const KNEX_CLIENTS: Record<Dialect, string> = {
  sqlite: 'better-sqlite3',
  postgres: 'pg',
};

export function dialectOf(knex: Knex): Dialect {
  const client = (knex.client as { config: Knex.Config }).config.client;
  return client === KNEX_CLIENTS.postgres ? 'postgres' : 'sqlite';
}
