import { beforeAll, describe, expect, it } from 'vitest';
import type { Connection, NewLumioEvent, Store } from '../../platform/src/store/index.js';
import { forEachDatabase } from './databases.js';
import { createConnectionFixture } from './fixtures.js';
import { storeEvents, uniqueKey } from './webhook-fixtures.js';

forEachDatabase((database) => {
  describe('lumioEvents', () => {
    let store: Store;

    beforeAll(async () => {
      store = await database.openStore();
    });

    /** Stores a webhook event, claims and completes it with these Lumio events, and returns its id. */
    async function emit(connection: Connection, lumioEvents: NewLumioEvent[]): Promise<string> {
      const [event] = await storeEvents(store, connection, [uniqueKey()], 1_000);
      const claimed = await store.webhookEvents.claimDue({ workerId: 'worker-a', limit: 1_000, lockMs: 60_000, now: 1_000 });
      expect(claimed.map((item) => item.id)).toEqual([event?.id]);
      expect(await store.webhookEvents.complete(event?.id ?? '', 'worker-a', { status: 'processed', result: null }, lumioEvents)).toBe(true);
      return event?.id ?? '';
    }

    it('list pages in creation order', async () => {
      const { connection } = await createConnectionFixture(store);
      for (let index = 0; index < 5; index += 1) {
        await emit(connection, [{ type: 'contact.updated', payload: { index } }]);
      }

      const first = await store.lumioEvents.list({ workspaceId: connection.workspaceId, limit: 3 });
      const second = await store.lumioEvents.list({ workspaceId: connection.workspaceId, limit: 3, cursor: first.nextCursor });

      expect(first.events.map((event) => event.payload)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
      expect(first.hasMore).toBe(true);
      expect(second.events.map((event) => event.payload)).toEqual([{ index: 3 }, { index: 4 }]);
      expect(second.hasMore).toBe(false);
      expect(second.nextCursor).not.toBeNull();
    });

    it('list cursor of the last page returns newer events', async () => {
      const { connection } = await createConnectionFixture(store);
      await emit(connection, [{ type: 'contact.created', payload: { index: 0 } }]);
      const page = await store.lumioEvents.list({ workspaceId: connection.workspaceId, limit: 10 });

      const empty = await store.lumioEvents.list({ workspaceId: connection.workspaceId, limit: 10, cursor: page.nextCursor });
      await emit(connection, [{ type: 'contact.created', payload: { index: 1 } }]);
      const newer = await store.lumioEvents.list({ workspaceId: connection.workspaceId, limit: 10, cursor: page.nextCursor });

      expect(empty).toEqual({ events: [], nextCursor: null, hasMore: false });
      expect(newer.events.map((event) => event.payload)).toEqual([{ index: 1 }]);
    });

    it('list filters by type and source', async () => {
      const { connection } = await createConnectionFixture(store);
      const first = await emit(connection, [
        { type: 'contact.created', payload: {} },
        { type: 'webhook.received', payload: {} },
      ]);
      await emit(connection, [{ type: 'contact.created', payload: {} }]);

      const created = await store.lumioEvents.list({ workspaceId: connection.workspaceId, type: 'contact.created', limit: 10 });
      const fromFirst = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: first, limit: 10 });
      const both = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: first, type: 'webhook.received', limit: 10 });

      expect(created.events).toHaveLength(2);
      expect(fromFirst.events.map((event) => event.type).sort()).toEqual(['contact.created', 'webhook.received']);
      expect(both.events).toHaveLength(1);
    });

    it('list stays within the workspace', async () => {
      const { connection } = await createConnectionFixture(store);
      const { workspace: other } = await createConnectionFixture(store);
      const source = await emit(connection, [{ type: 'contact.created', payload: {} }]);

      const page = await store.lumioEvents.list({ workspaceId: other.id, sourceEventId: source, limit: 10 });

      expect(page.events).toEqual([]);
    });

    it('list rejects bad arguments', async () => {
      const { workspace } = await createConnectionFixture(store);

      await expect(store.lumioEvents.list({ workspaceId: workspace.id, limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
      await expect(store.lumioEvents.list({ workspaceId: workspace.id, limit: 10, cursor: Buffer.from('whe_0000000000000000000000000a').toString('base64url') })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('countBySource counts distinct types', async () => {
      const { connection } = await createConnectionFixture(store);
      const source = await emit(connection, [
        { type: 'contact.created', payload: { run: 1 } },
        { type: 'contact.created', payload: { run: 2 } },
        { type: 'webhook.received', payload: {} },
      ]);

      expect(await store.lumioEvents.countBySource(source)).toBe(2);
      expect(await store.lumioEvents.countBySource('whe_missing')).toBe(0);
    });

    it('keeps events after the connection is deleted', async () => {
      const { connection } = await createConnectionFixture(store);
      const source = await emit(connection, [{ type: 'connection.event', payload: {} }]);

      await store.connections.delete(connection.id);

      const page = await store.lumioEvents.list({ workspaceId: connection.workspaceId, sourceEventId: source, limit: 10 });
      expect(page.events).toHaveLength(1);
      expect(page.events[0]?.connectionId).toBeNull();
    });
  });
});
