// Measures records.upsertPage throughput: 25,000 records in pages of 100, written three
// times (all new, all unchanged, all changed). SQLite always; PostgreSQL as well when
// LUMIO_TEST_DATABASE_URL is set. Not a test: it prints rows per second.
//
//   node --import tsx test/store/upsert-benchmark.ts

import { cpus } from 'node:os';
import { openStore, type UpsertRecordRow } from '../../platform/src/store/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type DatabaseKind } from './databases.js';

const TOTAL_RECORDS = 25_000;
const PAGE_SIZE = 100;

/** Builds a HubSpot-like contact with about 1 KB of raw JSON and its mapped canonical record. */
function makeRow(index: number, revision: number): UpsertRecordRow {
  const id = String(100_000 + index);
  const updatedAt = new Date(Date.UTC(2024, 0, 1) + index * 1_000 + revision).toISOString();
  const raw = {
    id,
    archived: false,
    createdAt: '2023-06-01T10:00:00.000Z',
    updatedAt,
    properties: {
      firstname: `First${index}`,
      lastname: `Last${index} Müller`,
      email: `person${index}@example.com`,
      phone: `+55 11 9${String(index).padStart(8, '0')}`,
      company: `Company ${index % 500}`,
      jobtitle: 'Head of Operations',
      city: 'São Paulo',
      country: 'Brazil',
      lifecyclestage: 'customer',
      hs_lead_status: 'OPEN',
      notes: `Revision ${revision}: prefers e-mail, met at the 2023 conference.`,
      lastmodifieddate: updatedAt,
    },
  };
  const data = {
    firstName: raw.properties.firstname,
    lastName: raw.properties.lastname,
    email: raw.properties.email,
    phone: raw.properties.phone,
    companyName: raw.properties.company,
    title: raw.properties.jobtitle,
    address: { city: raw.properties.city, country: raw.properties.country },
    lifecycleStage: raw.properties.lifecyclestage,
  };
  return { externalId: id, data, raw, deleted: false, sourceUpdatedAt: updatedAt };
}

async function measure(kind: DatabaseKind): Promise<void> {
  const database = await createTemporaryDatabase(kind);
  const store = await openStore(database.options);
  try {
    const workspace = await store.workspaces.create({ name: 'Benchmark' });
    const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'bench', authMethod: 'apiKey' });

    for (const [label, revision] of [['insert', 0], ['unchanged', 0], ['update', 1]] as const) {
      const totals = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
      const started = process.hrtime.bigint();
      for (let start = 0; start < TOTAL_RECORDS; start += PAGE_SIZE) {
        const rows = Array.from({ length: PAGE_SIZE }, (_, offset) => makeRow(start + offset, revision));
        const result = await store.records.upsertPage({ workspaceId: workspace.id, connectionId: connection.id, object: 'contact', sourceObject: 'contacts', rows });
        totals.inserted += result.inserted;
        totals.updated += result.updated;
        totals.unchanged += result.unchanged;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rate = Math.round(TOTAL_RECORDS / seconds);
      process.stdout.write(`${kind.padEnd(8)} ${label.padEnd(9)} ${TOTAL_RECORDS} rows in ${seconds.toFixed(2)} s = ${rate} rows/s ${JSON.stringify(totals)}\n`);
    }
  } finally {
    await store.close();
    await database.dispose();
  }
}

process.stdout.write(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})\n`);
await measure('sqlite');
if (POSTGRES_ADMIN_URL) {
  await measure('postgres');
} else {
  process.stdout.write('postgres skipped: set LUMIO_TEST_DATABASE_URL to measure it\n');
}
