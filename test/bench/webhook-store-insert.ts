// Measures webhookEvents.insertDeliveries throughput: 20,000 deliveries of one event
// with a 1 KB JSON body each, written in batches of 1 and of 50. SQLite always;
// PostgreSQL as well when LUMIO_TEST_DATABASE_URL is set. Not a test: it prints
// deliveries per second.
//
//   node --import tsx test/bench/webhook-store-insert.ts

import { openStore, type Connection, type NewDelivery } from '../../platform/src/store/index.js';
import { describeMachine } from './machine.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL, type DatabaseKind } from '../store/databases.js';

const TOTAL_DELIVERIES = 20_000;
const BATCH_SIZES = [1, 50];
const BODY_BYTES = 1_024;

let sequence = 0;

/** Builds a HubSpot-like delivery of one event whose JSON body is padded to BODY_BYTES. */
function makeDelivery(connection: Connection): NewDelivery {
  sequence += 1;
  const eventId = `bench-${sequence}`;
  const payload = { eventId, subscriptionType: 'contact.propertyChange', objectId: sequence, propertyName: 'email', note: '' };
  payload.note = 'x'.repeat(Math.max(0, BODY_BYTES - JSON.stringify(payload).length));
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  return {
    workspaceId: connection.workspaceId,
    connectionId: connection.id,
    connectorId: connection.connectorId,
    method: 'POST',
    contentType: 'application/json',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'c2lnbmF0dXJl', 'x-hubspot-request-timestamp': '1700000000000' },
    body,
    sourceIp: '127.0.0.1',
    events: [{ dedupKey: `event:${eventId}`, providerEventId: eventId, eventType: 'contact.propertyChange', payload, occurredAt: 1_700_000_000_000 }],
  };
}

async function measure(kind: DatabaseKind): Promise<void> {
  const database = await createTemporaryDatabase(kind);
  const store = await openStore(database.options);
  try {
    const workspace = await store.workspaces.create({ name: 'Benchmark' });
    const connection = await store.connections.create({ workspaceId: workspace.id, connectorId: 'hubspot', name: 'bench', authMethod: 'apiKey' });

    for (const batchSize of BATCH_SIZES) {
      let inserted = 0;
      const started = process.hrtime.bigint();
      for (let written = 0; written < TOTAL_DELIVERIES; written += batchSize) {
        const batch = Array.from({ length: batchSize }, () => makeDelivery(connection));
        const results = await store.webhookEvents.insertDeliveries(batch);
        inserted += results.reduce((sum, result) => sum + result.inserted.length, 0);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rate = Math.round(TOTAL_DELIVERIES / seconds);
      process.stdout.write(`${kind.padEnd(8)} batch ${String(batchSize).padStart(2)}: ${TOTAL_DELIVERIES} deliveries in ${seconds.toFixed(2)} s = ${rate} deliveries/s (${inserted} events stored)\n`);
    }
  } finally {
    await store.close();
    await database.dispose();
  }
}

process.stdout.write(`${describeMachine()}\n`);
await measure('sqlite');
if (POSTGRES_ADMIN_URL) {
  await measure('postgres');
} else {
  process.stdout.write('postgres skipped: set LUMIO_TEST_DATABASE_URL to measure it\n');
}
