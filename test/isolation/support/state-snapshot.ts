import type { Store } from '../../../platform/src/store/index.js';

/**
 * Tables a request may change without changing a resource: the audit log records every
 * mutating request (denied ones too), sessions note their last request, and jobs, locks and
 * the dispatch cursor belong to the background workers.
 */
const VOLATILE_TABLES = new Set(['audit_log', 'sessions', 'jobs', 'locks', 'event_dispatch_cursors', 'knex_migrations', 'knex_migrations_lock']);
/** Columns an authenticated request updates on its own: the key's and the user's last use. */
const VOLATILE_COLUMNS: Record<string, string[]> = { api_keys: ['last_used_at'], users: ['last_login_at'] };

/** Every row of every table but the volatile ones, each row as sorted JSON text, rows sorted. */
export type StateSnapshot = Map<string, string[]>;

async function listTables(store: Store): Promise<string[]> {
  if (store.dialect === 'postgres') {
    const result = await store.knex.raw<{ rows: { table_name: string }[] }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    return result.rows.map((row) => row.table_name).sort();
  }
  const rows = await store.knex.raw<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((row) => row.name).sort();
}

function serializeValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `bytes:${value.toString('base64')}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Reads the whole database, so a test can show that a rejected request changed nothing. */
export async function takeSnapshot(store: Store): Promise<StateSnapshot> {
  const snapshot: StateSnapshot = new Map();
  for (const table of await listTables(store)) {
    if (VOLATILE_TABLES.has(table)) continue;
    const skipped = VOLATILE_COLUMNS[table] ?? [];
    const rows: Record<string, unknown>[] = await store.knex(table).select('*');
    const lines = rows.map((row) => JSON.stringify(Object.fromEntries(Object.keys(row).filter((column) => !skipped.includes(column)).sort().map((column) => [column, serializeValue(row[column])]))));
    snapshot.set(table, lines.sort());
  }
  return snapshot;
}

/** Lists the rows added and removed between two snapshots, per table. The list is empty when they are equal. */
export function diffSnapshots(before: StateSnapshot, after: StateSnapshot): string[] {
  const changes: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const old = new Set(before.get(table) ?? []);
    const now = new Set(after.get(table) ?? []);
    const removed = [...old].filter((row) => !now.has(row));
    const added = [...now].filter((row) => !old.has(row));
    for (const row of removed.slice(0, 3)) changes.push(`${table} - ${row.slice(0, 400)}`);
    for (const row of added.slice(0, 3)) changes.push(`${table} + ${row.slice(0, 400)}`);
  }
  return changes;
}
