import type { BatchOperation, ConnectorManifest } from '@lumio/plugin-sdk';
import { beforeAll, describe, expect, it } from 'vitest';

import type { ConnectionService } from '../../platform/src/connections/index.js';
import { loadConnectorRegistry, type LoadedConnector } from '../../platform/src/connectors/index.js';
import { LumioError } from '../../platform/src/errors/index.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../platform/src/http/index.js';
import type { JobContext, JobQueue } from '../../platform/src/jobs/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createTimeOrderedId, type Connection, type NewRecordWrite, type Store } from '../../platform/src/store/index.js';
import { processWriteBatch, WritebackService, type WritebackJobPayload } from '../../platform/src/writeback/index.js';
import { CONNECTORS_DIR } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createConnectionFixture } from '../store/fixtures.js';

type Responder = (request: HttpRequest) => HttpResponse;

function jsonResponse(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'http://127.0.0.1:9/batch' };
}

/** Returns what HubSpot returns for a batch upsert that succeeds: every input with an id. */
function upsertEverything(request: HttpRequest): HttpResponse {
  const inputs = (request.body as { inputs: { id: string; properties: Record<string, unknown> }[] }).inputs;
  const results = inputs.map((input, index) => ({ id: String(500 + index), properties: { ...input.properties, lastmodifieddate: '2025-03-01T12:00:00.000Z' }, createdAt: '2025-03-01T12:00:00.000Z', updatedAt: '2025-03-01T12:00:00.000Z', archived: false }));
  return jsonResponse(200, { status: 'COMPLETE', results });
}

function job(batchId: string, attempt: number, maxAttempts = 5): JobContext<WritebackJobPayload> {
  return { id: `writeback-${batchId}`, name: 'writeback', payload: { batchId }, attempt, maxAttempts, concurrencyKey: null, signal: new AbortController().signal };
}

forEachDatabase((database) => {
  describe('write-back job', () => {
    let store: Store;
    let hubspot: LoadedConnector;
    let connection: Connection;
    let requests: HttpRequest[];
    let respond: Responder;
    let manifest: ConnectorManifest;
    let openError: LumioError | undefined;

    const http = {
      send: async (request: HttpRequest) => {
        requests.push(request);
        return respond(request);
      },
    } as unknown as HttpClient;
    const connections = {
      requireConnector: () => ({ ...hubspot, manifest }),
      open: async () => {
        if (openError) throw openError;
        return {
          connector: { ...hubspot, manifest },
          context: { manifest, config: {}, credentials: { accessToken: 'token-value' }, authMethod: { type: 'bearer', credentialField: 'accessToken' }, http, logger: silentLogger, baseUrl: 'http://127.0.0.1:9', connectionId: connection.id },
        };
      },
    } as unknown as ConnectionService;
    const deps = () => ({ store, connections, logger: silentLogger });

    async function queueWrites(emails: string[]): Promise<string> {
      const batchId = createTimeOrderedId('wrb');
      const writes: NewRecordWrite[] = emails.map((email) => ({
        id: createTimeOrderedId('wr'),
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        batchId,
        object: 'contact',
        sourceObject: 'contacts',
        operation: 'create',
        recordId: createTimeOrderedId('rec'),
        externalId: null,
        data: { fullName: 'Ana', firstName: 'Ana', email },
        changedAt: new Date().toISOString(),
        baseSourceUpdatedAt: null,
      }));
      await store.recordWrites.insertMany(writes);
      return batchId;
    }

    beforeAll(async () => {
      store = await database.openStore();
      const registry = await loadConnectorRegistry(CONNECTORS_DIR, silentLogger);
      hubspot = registry.get('hubspot') as LoadedConnector;
      ({ connection } = await createConnectionFixture(store, 'hubspot'));
      await store.connections.update(connection.id, { status: 'connected' });
      const mapping = hubspot.manifest.mappings?.find((candidate) => candidate.object === 'contacts');
      await store.mappings.createVersion({ workspaceId: connection.workspaceId, connectionId: connection.id, object: 'contacts', canonicalObject: 'contact', definition: mapping });
    });

    const reset = (responder: Responder, overrides: Partial<ConnectorManifest> = {}) => {
      requests = [];
      respond = responder;
      manifest = { ...hubspot.manifest, ...overrides };
      openError = undefined;
    };

    it('sends HubSpot upsert inputs', async () => {
      reset(upsertEverything);
      const batchId = await queueWrites(['ana@example.com', 'bruno@example.com']);

      const summary = await processWriteBatch(deps(), job(batchId, 1));

      expect(summary.counts).toEqual({ pending: 0, succeeded: 2, failed: 0, skipped: 0 });
      expect(requests).toHaveLength(1);
      expect(requests[0]?.url).toBe('http://127.0.0.1:9/crm/v3/objects/contacts/batch/upsert');
      expect(requests[0]?.headers?.authorization ?? requests[0]?.headers?.Authorization).toBe('Bearer token-value');
      expect((requests[0]?.body as any).inputs).toEqual([
        { idProperty: 'email', id: 'ana@example.com', properties: { firstname: 'Ana', email: 'ana@example.com' } },
        { idProperty: 'email', id: 'bruno@example.com', properties: { firstname: 'Ana', email: 'bruno@example.com' } },
      ]);
      const [write] = (await store.recordWrites.listByBatch({ workspaceId: connection.workspaceId, batchId, limit: 10 })).items;
      expect(write).toMatchObject({ status: 'succeeded', externalId: '500' });
      expect((await store.records.get(write!.recordId))?.data).toMatchObject({ email: 'ana@example.com', firstName: 'Ana', fullName: 'Ana' });
    });

    it('retries a failing provider, then gives up', async () => {
      reset(() => jsonResponse(503, { message: 'Service unavailable' }));
      const batchId = await queueWrites(['carla@example.com']);

      await expect(processWriteBatch(deps(), job(batchId, 1))).rejects.toMatchObject({ code: 'PROVIDER_REQUEST_FAILED' });
      expect(await store.recordWrites.countByStatus(batchId)).toMatchObject({ pending: 1 });

      const summary = await processWriteBatch(deps(), job(batchId, 5));
      expect(summary.counts).toMatchObject({ pending: 0, failed: 1 });
      const [write] = (await store.recordWrites.listByBatch({ workspaceId: connection.workspaceId, batchId, limit: 10 })).items;
      expect(write?.error?.code).toBe('WRITEBACK_GAVE_UP');
      expect(write?.error?.message).toContain('Service unavailable');
      expect(write?.attempts).toBe(2);
    });

    it('splits a rejected batch', async () => {
      reset((request) => {
        const inputs = (request.body as { inputs: { id: string }[] }).inputs;
        const bad = inputs.find((input) => input.id.startsWith('bad'));
        return bad ? jsonResponse(400, { status: 'error', category: 'VALIDATION_ERROR', message: `Email address ${bad.id} is invalid` }) : upsertEverything(request);
      });
      const batchId = await queueWrites(['ok1@example.com', 'bad@example.com', 'ok2@example.com', 'ok3@example.com']);

      const summary = await processWriteBatch(deps(), job(batchId, 1));

      expect(summary.counts).toMatchObject({ succeeded: 3, failed: 1 });
      const writes = (await store.recordWrites.listByBatch({ workspaceId: connection.workspaceId, batchId, limit: 10 })).items;
      expect(writes.map((write) => write.status)).toEqual(['succeeded', 'failed', 'succeeded', 'succeeded']);
      expect(writes[1]?.error).toMatchObject({ code: 'PROVIDER_RECORD_REJECTED', message: 'HubSpot rejected this record: Email address bad@example.com is invalid.', details: { providerStatus: 400 } });
      // 4 inputs: the whole batch, its halves (2 and 2), then the half with the bad record split again.
      expect(requests.map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([4, 2, 1, 1, 2]);
    });

    it('fails writes of a disconnected connection', async () => {
      reset(upsertEverything);
      openError = new LumioError('CONNECTION_DISCONNECTED', 'Connection is disconnected; connect it again before syncing.', { status: 409, fault: 'caller' });
      const batchId = await queueWrites(['dora@example.com']);

      const summary = await processWriteBatch(deps(), job(batchId, 1));

      expect(summary.counts).toMatchObject({ failed: 1, pending: 0 });
      expect(requests).toHaveLength(0);
      expect((await store.recordWrites.listPending(batchId)).length).toBe(0);
    });

    it('sends a batch create at most once', async () => {
      const contacts = hubspot.manifest.objects.contacts!;
      const batchCreate: BatchOperation = { ...(contacts.operations.batchUpsert as BatchOperation), path: '/crm/v3/objects/contacts/batch/create' };
      const createOnly = { ...contacts, operations: { ...contacts.operations, batchUpsert: undefined, batchCreate } };
      reset(() => jsonResponse(502, { message: 'Bad gateway' }), { objects: { ...hubspot.manifest.objects, contacts: createOnly } });
      const batchId = await queueWrites(['eva@example.com', 'fabio@example.com']);

      const summary = await processWriteBatch(deps(), job(batchId, 1));

      expect(summary.counts).toMatchObject({ failed: 2, pending: 0 });
      expect(requests).toHaveLength(1);
      const [write] = (await store.recordWrites.listByBatch({ workspaceId: connection.workspaceId, batchId, limit: 10 })).items;
      expect(write?.error?.code).toBe('WRITE_OUTCOME_UNKNOWN');
    });

    it('requeues pending batches at start', async () => {
      const batchId = await queueWrites(['gil@example.com']);
      const enqueued: { name: string; payload: unknown; jobId: string | undefined; concurrencyKey: string | undefined }[] = [];
      const jobs = {
        backend: 'embedded',
        enqueue: async (name: string, payload: unknown, options: { jobId?: string; concurrencyKey?: string } = {}) => {
          enqueued.push({ name, payload, jobId: options.jobId, concurrencyKey: options.concurrencyKey });
          return options.jobId ?? 'job';
        },
        process: async () => undefined,
      } as unknown as JobQueue;

      await new WritebackService({ store, connections, jobs, logger: silentLogger }).start();

      expect(enqueued).toContainEqual({ name: 'writeback', payload: { batchId }, jobId: `writeback-${batchId}`, concurrencyKey: `writeback:${connection.id}:contacts` });
    });
  });
});
