import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { Agent, request } from 'undici';

import { silentLogger } from '../../platform/src/observability/index.js';
import { openStore } from '../../platform/src/store/index.js';
import type { TemporaryDatabase } from '../store/temporary-database.js';

const PROPERTIES = 'firstname,lastname,email,phone,company,jobtitle,lifecyclestage,city,state,country,createdate,lastmodifieddate,hs_object_id';

interface HubSpotContact {
  id: string;
  properties: Record<string, string | null>;
  archived: boolean;
}

interface HubSpotPage {
  results: HubSpotContact[];
  paging?: { next?: { after?: string } };
}

/** One row of the `records` table, as the baseline writes it. */
interface BaselineRow {
  id: string;
  externalId: string;
  data: string;
  raw: string;
  deleted: boolean;
}

interface RowSink {
  insertPage(rows: BaselineRow[]): Promise<void>;
  close(): Promise<void>;
}

/** Workspace and connection of the baseline's rows. */
interface RowScope {
  workspaceId: string;
  connectionId: string;
}

/**
 * Runs the baseline a platform sync is compared with: a plain loop that fetches the same pages
 * (active contacts, then archived ones) and inserts the same rows into the platform's own
 * `records` table (same columns and indexes), one batch per page. It leaves out what the
 * platform adds: mapping (the provider's properties stand in for the mapped data), content
 * hashing and unchanged-row detection, checkpoints and progress. The time covers the loop
 * only, not the schema set-up, as the platform's time covers the sync only.
 */
export async function runBaselineSync(simulatorUrl: string, token: string, database: TemporaryDatabase): Promise<{ records: number; seconds: number }> {
  const scope = await createSchema(database);
  const sink = database.options.databaseUrl ? await postgresSink(database.options.databaseUrl, scope) : sqliteSink(database.options.dataDir, scope);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  let stored = 0;
  const started = performance.now();

  try {
    for (const archived of ['false', 'true']) {
      let after: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '100', archived, properties: PROPERTIES });
        if (after) query.set('after', after);
        const response = await request(`${simulatorUrl}/crm/v3/objects/contacts?${query}`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
        const page = (await response.body.json()) as HubSpotPage;

        await sink.insertPage(page.results.map(toRow));
        stored += page.results.length;
        after = page.paging?.next?.after;
      } while (after);
    }
  } finally {
    await agent.close();
    await sink.close();
  }
  return { records: stored, seconds: (performance.now() - started) / 1000 };
}

function toRow(record: HubSpotContact): BaselineRow {
  return {
    id: `rec_${randomBytes(13).toString('hex')}`,
    externalId: record.id,
    data: JSON.stringify(record.properties),
    raw: JSON.stringify(record),
    deleted: record.archived,
  };
}

/** Runs the platform's migrations, then adds the workspace and connection the rows belong to. */
async function createSchema(database: TemporaryDatabase): Promise<RowScope> {
  const store = await openStore({ dataDir: database.options.dataDir, databaseUrl: database.options.databaseUrl, logger: silentLogger });
  try {
    const workspace = await store.workspaces.getOrCreateDefault();
    const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'baseline', authMethod: 'bearer', status: 'connected' });
    return { workspaceId: workspace.id, connectionId: connection.id };
  } finally {
    await store.close();
  }
}

function sqliteSink(dataDir: string, scope: RowScope): RowSink {
  const db = new Database(join(dataDir, 'lumio.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `INSERT INTO records (id, workspace_id, connection_id, object, source_object, external_id, data, raw, content_hash, deleted, created_at, updated_at)
     VALUES (?, ?, ?, 'contact', 'contacts', ?, ?, ?, '', ?, ?, ?)`,
  );
  const insertMany = db.transaction((rows: BaselineRow[]) => {
    const now = new Date().toISOString();
    for (const row of rows) insert.run(row.id, scope.workspaceId, scope.connectionId, row.externalId, row.data, row.raw, row.deleted ? 1 : 0, now, now);
  });

  return {
    async insertPage(rows) {
      insertMany(rows);
    },
    async close() {
      db.close();
    },
  };
}

async function postgresSink(databaseUrl: string, scope: RowScope): Promise<RowSink> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const columns = 8;

  return {
    async insertPage(rows) {
      if (rows.length === 0) return;
      const now = new Date().toISOString();
      const placeholders = rows.map((_, index) => {
        const base = index * columns;
        return `($${base + 1}, $${base + 2}, $${base + 3}, 'contact', 'contacts', $${base + 4}, $${base + 5}, $${base + 6}, '', $${base + 7}, $${base + 8}, $${base + 8})`;
      });
      await client.query(
        `INSERT INTO records (id, workspace_id, connection_id, object, source_object, external_id, data, raw, content_hash, deleted, created_at, updated_at) VALUES ${placeholders.join(', ')}`,
        rows.flatMap((row) => [row.id, scope.workspaceId, scope.connectionId, row.externalId, row.data, row.raw, row.deleted, now]),
      );
    },
    async close() {
      await client.end();
    },
  };
}
