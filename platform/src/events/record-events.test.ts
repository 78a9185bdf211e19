import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import { createLogger, silentLogger } from '../observability/index.js';
import type { AppendLumioEventInput, Connection, LumioEvent, Store, StoredWebhookEvent, SyncRun } from '../store/index.js';
import { recordIntegrationConnected, recordLumioEvent, recordSyncFailed, recordWebhookEventDead } from './record-events.js';

/** Creates a stand-in outbox that keeps what it is given, or fails every write. */
function outbox(failing = false) {
  const appended: AppendLumioEventInput[] = [];
  const store: Pick<Store, 'lumioEvents'> = {
    lumioEvents: {
      list: () => Promise.reject(new Error('not used')),
      countBySource: () => Promise.reject(new Error('not used')),
      async append(input) {
        if (failing) throw new Error('database unavailable');
        appended.push(input);
        return { ...input, id: 'evt_1', connectionId: input.connectionId ?? null, sourceEventId: null, createdAt: 1 } as LumioEvent;
      },
    },
  };
  return { store, appended };
}

const run = { id: 'run_1', workspaceId: 'ws_1', connectionId: 'conn_1', object: 'contacts', mode: 'full', trigger: 'manual' } as SyncRun;

describe('recordSyncFailed', () => {
  it('records only sync.failed for a caller fault', async () => {
    const { store, appended } = outbox();

    await recordSyncFailed(store, silentLogger, run, new LumioError('MAPPING_MISSING', 'No mapping.', { status: 409, fault: 'caller' }));

    expect(appended.map((event) => event.type)).toEqual(['sync.failed']);
    expect(appended[0]).toMatchObject({ workspaceId: 'ws_1', connectionId: 'conn_1', payload: { runId: 'run_1', object: 'contacts', error: { code: 'MAPPING_MISSING', fault: 'caller' } } });
  });

  it('adds error.critical for a platform fault', async () => {
    const { store, appended } = outbox();

    await recordSyncFailed(store, silentLogger, run, new LumioError('STORE_UNAVAILABLE', 'The database is down.', { fault: 'platform' }));

    expect(appended.map((event) => event.type)).toEqual(['sync.failed', 'error.critical']);
    expect(appended[1]?.payload).toMatchObject({ source: 'sync', runId: 'run_1', error: { code: 'STORE_UNAVAILABLE' } });
  });

  it('treats an unexpected error as a platform fault', async () => {
    const { store, appended } = outbox();

    await recordSyncFailed(store, silentLogger, run, new TypeError('undefined is not a function'));

    expect(appended.map((event) => event.type)).toEqual(['sync.failed', 'error.critical']);
    expect(appended[0]?.payload).toMatchObject({ error: { code: 'SYNC_FAILED', message: 'undefined is not a function', fault: 'platform' } });
  });
});

describe('recordLumioEvent', () => {
  it('logs instead of raising when the write fails', async () => {
    const { store } = outbox(true);
    const lines: string[] = [];
    const logger = createLogger({ level: 'error', destination: { write: (line: string) => lines.push(line) } });

    await expect(recordLumioEvent(store, logger, { workspaceId: 'ws_1', connectionId: null, type: 'sync.started', payload: {} })).resolves.toBeUndefined();

    const records = lines.map((line) => JSON.parse(line));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ workspaceId: 'ws_1', eventType: 'sync.started', msg: 'could not record a Lumio event; subscribers will not receive it' });
    expect(records[0].err.message).toBe('database unavailable');
  });
});

describe('recordWebhookEventDead', () => {
  it('records error.critical with the webhook event ids', async () => {
    const { store, appended } = outbox();
    const event = { id: 'whe_1', workspaceId: 'ws_1', connectionId: 'conn_1', connectorId: 'hubspot', eventType: 'contact.creation', attempts: 8 } as StoredWebhookEvent;

    await recordWebhookEventDead(store, silentLogger, event, 'MAPPING_MISSING', 'No mapping.');

    expect(appended).toEqual([
      {
        workspaceId: 'ws_1',
        connectionId: 'conn_1',
        type: 'error.critical',
        payload: { source: 'webhook', connector: 'hubspot', webhookEventId: 'whe_1', webhookEventType: 'contact.creation', attempts: 8, error: { code: 'MAPPING_MISSING', message: 'No mapping.' } },
      },
    ]);
  });
});

describe('recordIntegrationConnected', () => {
  it('records the connection without its config', async () => {
    const { store, appended } = outbox();
    const connection = { id: 'conn_1', workspaceId: 'ws_1', connectorId: 'hubspot', name: 'default', authMethod: 'bearer', config: { portalId: '1' } } as unknown as Connection;

    await recordIntegrationConnected(store, silentLogger, connection, true);

    expect(appended).toEqual([
      { workspaceId: 'ws_1', connectionId: 'conn_1', type: 'integration.connected', payload: { connector: 'hubspot', name: 'default', authMethod: 'bearer', reconnected: true } },
    ]);
  });
});
