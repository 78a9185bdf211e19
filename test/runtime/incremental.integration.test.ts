import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../platform/src/http/index.js';
import { readStream, type StreamPage, type StreamState } from '../../platform/src/runtime/index.js';
import type { IncrementalSync, ObjectDefinition } from '../../platform/src/runtime/manifest-types.js';
import { buildContext, buildManifest, buildObject, captureRejection, collect } from './support/connector-fixture.js';
import { startJsonApiServer, type JsonApiServer, type ReceivedRequest, type ServerReply } from './support/json-api-server.js';

interface Contact {
  id: string;
  updatedAt: string;
  archived?: boolean;
}

const START = Date.parse('2024-05-01T12:00:00.000Z');
const WINDOW = 10;

/** 30 contacts; every four share one updatedAt, so ties straddle page and window boundaries. */
function seedContacts(): Contact[] {
  return Array.from({ length: 30 }, (_, index) => ({
    id: String(index + 1),
    updatedAt: new Date(START + Math.floor(index / 4) * 60_000).toISOString(),
  }));
}

function byCursor(left: Contact, right: Contact): number {
  const time = Date.parse(left.updatedAt) - Date.parse(right.updatedAt);
  return time !== 0 ? time : Number(left.id) - Number(right.id);
}

function maxCursor(contacts: readonly Contact[]): { cursor: string; tieBreaker: string } {
  const last = [...contacts].sort(byCursor).at(-1) as Contact;
  return { cursor: last.updatedAt, tieBreaker: last.id };
}

function idsOf(pages: readonly StreamPage[]): string[] {
  return pages.flatMap((page) => page.records.map((record) => (record as Contact).id));
}

describe('incremental streams', () => {
  let server: JsonApiServer;
  let contacts: Contact[];
  let deleted: Contact[];
  /** Records the search routes have returned, counting repeats. */
  let searchRecordsSent = 0;
  const clients: HttpClient[] = [];

  function body(request: ReceivedRequest): Record<string, unknown> {
    return (request.body ?? {}) as Record<string, unknown>;
  }

  /** HubSpot-like search: sorted by (updatedAt, id), offset paging that refuses `after >= 10`. */
  function search(request: ReceivedRequest, withTieBreaker: boolean): ServerReply {
    const { since, tieBreaker, limit } = body(request) as { since: string; tieBreaker: string; limit: number };
    const after = Number(body(request).after ?? 0);
    if (after >= WINDOW) return { status: 400, body: { message: `paging past ${WINDOW} results is not allowed`, correlationId: 'corr-1' } };

    const sinceMs = Date.parse(since);
    const matches = contacts
      .filter((contact) => {
        const time = Date.parse(contact.updatedAt);
        if (!withTieBreaker) return time >= sinceMs;
        return time > sinceMs || (time === sinceMs && Number(contact.id) > Number(tieBreaker));
      })
      .sort(byCursor);
    const results = matches.slice(after, after + limit);
    searchRecordsSent += results.length;
    const paging = after + limit < matches.length ? { next: { after: String(after + limit) } } : {};
    return { body: { total: matches.length, results, paging } };
  }

  function route(request: ReceivedRequest): ServerReply {
    switch (request.path) {
      case '/contacts': {
        const after = Number(request.query.get('after') ?? 0);
        const page = contacts.slice(after, after + 7);
        const paging = after + 7 < contacts.length ? { next: { after: String(after + 7) } } : {};
        return { body: { results: page, paging } };
      }
      case '/contacts/search':
        return search(request, true);
      case '/contacts/search-gte':
        return search(request, false);
      case '/contacts/deleted':
        return { body: { results: deleted } };
      case '/contacts/changed':
        return { body: { results: [] } };
      default:
        return { status: 404, body: { message: 'not found' } };
    }
  }

  beforeAll(async () => {
    server = await startJsonApiServer(route);
  });

  beforeEach(() => {
    contacts = seedContacts();
    deleted = [];
    searchRecordsSent = 0;
  });

  afterEach(() => {
    server.requests.length = 0;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  const INCREMENTAL: IncrementalSync = {
    operation: 'search',
    cursorField: 'updatedAt',
    cursorFormat: 'iso8601',
    tieBreakerField: 'id',
    tieBreakerStart: '0',
    windowLimit: WINDOW,
  };

  function contactsObject(overrides: Partial<ObjectDefinition> = {}, searchPath = '/contacts/search'): ObjectDefinition {
    return buildObject(
      {
        list: {
          method: 'GET',
          path: '/contacts',
          recordSelector: { path: 'results' },
          pagination: { type: 'cursor', cursorPath: 'paging.next.after', in: 'query', param: 'after' },
        },
        search: {
          method: 'POST',
          path: searchPath,
          body: { since: '{{ incremental.since }}', tieBreaker: '{{ incremental.tieBreaker }}', limit: '{{ pageSize }}' },
          recordSelector: { path: 'results' },
          totalPath: 'total',
          pagination: { type: 'cursor', cursorPath: 'paging.next.after', in: 'body', param: 'after', pageSize: 3 },
        },
        listDeleted: { method: 'GET', path: '/contacts/deleted', recordSelector: { path: 'results' } },
      },
      { incremental: INCREMENTAL, ...overrides },
    );
  }

  function context(object: ObjectDefinition) {
    const built = buildContext(buildManifest(server.url, { contacts: object }));
    clients.push(built.http);
    return built.ctx;
  }

  function doneState(cursor: string, tieBreaker: string | null): StreamState {
    return { version: 1, object: 'contacts', mode: 'full', phase: 'done', position: null, cursor, tieBreaker, startCursor: null };
  }

  it('ends full run with max cursor', async () => {
    const ctx = context(contactsObject());
    contacts[5] = { id: '6', updatedAt: '2024-06-01T00:00:00.000Z' };
    contacts[20] = { id: '21', updatedAt: '2024-06-01T00:00:00.000Z' };
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'full' }));
    const final = pages.at(-1)?.state;

    expect(idsOf(pages)).toEqual(contacts.map((contact) => contact.id));
    expect(final?.phase).toBe('done');
    expect(final?.mode).toBe('full');
    expect({ cursor: final?.cursor, tieBreaker: final?.tieBreaker }).toEqual(maxCursor(contacts));
  });

  it('runs full without a saved cursor', async () => {
    const ctx = context(contactsObject());
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: null }));
    expect(pages[0]?.state.mode).toBe('full');
    expect(idsOf(pages)).toHaveLength(30);
    expect(server.requests.every((request) => request.path === '/contacts')).toBe(true);
  });

  it('reads only changed records', async () => {
    const ctx = context(contactsObject());
    const full = await collect(readStream(ctx, { object: 'contacts', mode: 'full' }));
    const saved = full.at(-1)?.state as StreamState;
    const unchanged = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: saved }));
    expect(idsOf(unchanged)).toEqual([]);
    expect(unchanged.at(-1)?.state.cursor).toBe(saved.cursor);

    // Three edits land on one timestamp; the tie-breaker orders them by id.
    const editedAt = '2024-05-02T08:00:00.000Z';
    for (const id of ['17', '3', '29']) {
      const contact = contacts.find((candidate) => candidate.id === id) as Contact;
      contact.updatedAt = editedAt;
    }
    server.requests.length = 0;
    const changed = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: saved }));

    expect(idsOf(changed)).toEqual(['3', '17', '29']);
    expect(changed.at(-1)?.state).toMatchObject({ phase: 'done', mode: 'incremental', cursor: editedAt, tieBreaker: '29' });
    expect(body(server.requests[0] as ReceivedRequest)).toMatchObject({ since: saved.cursor, tieBreaker: saved.tieBreaker });
    expect(changed[0]?.total).toBe(3);
  });

  it('restarts a full window', async () => {
    const ctx = context(contactsObject());
    const state = doneState('2024-05-01T11:00:00.000Z', null);
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state }));

    const ids = idsOf(pages);
    expect(ids).toEqual([...contacts].sort(byCursor).map((contact) => contact.id));
    expect(new Set(ids).size).toBe(30);
    expect(server.requests.every((request) => Number(body(request).after ?? 0) < WINDOW)).toBe(true);
    const restarts = server.requests.filter((request) => body(request).after === undefined);
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    // Each restart continues from the last record read: its cursor and id.
    expect(body(restarts[1] as ReceivedRequest)).toMatchObject({ since: contacts[11]?.updatedAt, tieBreaker: '12' });
    expect(pages.at(-1)?.state).toMatchObject({ phase: 'done', ...maxCursor(contacts) });
  });

  it('deduplicates at the restart boundary', async () => {
    const ctx = context(contactsObject({}, '/contacts/search-gte'));
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: doneState('2024-05-01T11:00:00.000Z', null) }));
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((left, right) => Number(left) - Number(right))).toEqual(contacts.map((contact) => contact.id));
    // The ">=" query returned boundary records again; the stream dropped those repeats.
    expect(searchRecordsSent).toBeGreaterThan(30);
  });

  it('stops a window of ties', async () => {
    contacts = Array.from({ length: 14 }, (_, index) => ({ id: String(index + 1), updatedAt: '2024-05-01T12:00:00.000Z' }));
    const object = contactsObject({ incremental: { ...INCREMENTAL, tieBreakerField: undefined } }, '/contacts/search-gte');
    const ctx = context(object);
    const error = await captureRejection(() =>
      collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: doneState('2024-05-01T11:00:00.000Z', null) })),
    );
    expect(error.code).toBe('PAGINATION_LOOP');
    expect(error.message).toContain('tieBreakerField');
  });

  it('applies lookback and sendAs', async () => {
    const object = buildObject(
      {
        list: {
          method: 'GET',
          path: '/contacts/changed',
          query: { since: '{{ incremental.since }}', after_id: '{{ incremental.tieBreaker }}' },
          recordSelector: { path: 'results' },
        },
      },
      { incremental: { operation: 'list', cursorField: 'updatedAt', cursorFormat: 'iso8601', sendAs: 'epochMilliseconds', tieBreakerField: 'id', tieBreakerStart: '-1', lookbackSeconds: 120 } },
    );
    const ctx = context(object);
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'incremental', state: doneState('2024-05-01T12:10:00.000Z', '42') }));
    expect(server.requests[0]?.query.get('since')).toBe(String(Date.parse('2024-05-01T12:10:00.000Z') - 120_000));
    expect(server.requests[0]?.query.get('after_id')).toBe('-1');
    expect(pages.at(-1)?.state).toMatchObject({ cursor: '2024-05-01T12:10:00.000Z', tieBreaker: '42' });
  });

  it('reports listDeleted pages', async () => {
    deleted = [{ id: '90', updatedAt: '2030-01-01T00:00:00.000Z' }, { id: '91', updatedAt: '2030-01-01T00:00:00.000Z' }];
    const ctx = context(contactsObject({ deletions: { strategy: 'listDeleted' } }));
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'full' }));
    const last = pages.at(-1) as StreamPage;

    expect(last.phase).toBe('listDeleted');
    expect(last.deleted).toBe(true);
    expect(idsOf([last])).toEqual(['90', '91']);
    expect(pages.slice(0, -1).every((page) => !page.deleted && page.phase === 'list')).toBe(true);
    // Deleted records do not move the incremental cursor.
    expect(last.state).toMatchObject({ phase: 'done', ...maxCursor(contacts) });
  });

  it('reports flagged records deleted', async () => {
    for (const index of [2, 8, 9]) (contacts[index] as Contact).archived = true;
    const ctx = context(contactsObject({ deletions: { strategy: 'flag', flagPath: 'archived' } }));
    const pages = await collect(readStream(ctx, { object: 'contacts', mode: 'full' }));
    const deletedIds = pages.filter((page) => page.deleted).flatMap((page) => idsOf([page]));
    const liveIds = pages.filter((page) => !page.deleted).flatMap((page) => idsOf([page]));
    expect(deletedIds).toEqual(['3', '9', '10']);
    expect(liveIds).toHaveLength(27);
    expect(liveIds).not.toContain('3');
  });

  describe('resume', () => {
    async function readInTwoParts(
      object: ObjectDefinition,
      mode: 'full' | 'incremental',
      start: StreamState | null,
      stopAfter: number,
    ): Promise<{ ids: string[]; stoppedAt: StreamState | undefined }> {
      const ctx = context(object);
      const ids: string[] = [];
      let saved: StreamState | undefined;
      let count = 0;
      for await (const page of readStream(ctx, { object: 'contacts', mode, state: start })) {
        ids.push(...idsOf([page]));
        saved = page.state;
        count += 1;
        if (count === stopAfter) break;
      }
      if (saved?.phase !== 'done') {
        const rest = await collect(readStream(ctx, { object: 'contacts', mode, state: saved ?? start }));
        ids.push(...idsOf(rest));
      }
      return { ids, stoppedAt: saved };
    }

    it('resumes a full run anywhere', async () => {
      deleted = [{ id: '90', updatedAt: '2030-01-01T00:00:00.000Z' }];
      const object = contactsObject({ deletions: { strategy: 'listDeleted' } });
      const expected = [...contacts.map((contact) => contact.id), '90'];
      const pageCount = (await collect(readStream(context(object), { object: 'contacts', mode: 'full' }))).length;
      expect(pageCount).toBe(6);

      for (let stopAfter = 1; stopAfter <= pageCount; stopAfter += 1) {
        const { ids } = await readInTwoParts(object, 'full', null, stopAfter);
        expect(ids, `stopped after page ${stopAfter}`).toEqual(expected);
      }
    });

    it('resumes a windowed run anywhere', async () => {
      const object = contactsObject();
      const start = doneState('2024-05-01T11:00:00.000Z', null);
      const expected = [...contacts].sort(byCursor).map((contact) => contact.id);
      const pageCount = (await collect(readStream(context(object), { object: 'contacts', mode: 'incremental', state: start }))).length;

      const phases = new Set<string>();
      for (let stopAfter = 1; stopAfter <= pageCount; stopAfter += 1) {
        const { ids, stoppedAt } = await readInTwoParts(object, 'incremental', start, stopAfter);
        phases.add(JSON.stringify(stoppedAt?.window?.since));
        expect(ids, `stopped after page ${stopAfter}`).toEqual(expected);
      }
      // The stops covered several query windows, including states saved right after a restart.
      expect(phases.size).toBeGreaterThanOrEqual(3);
    });

    it('resumes a deduplicating run anywhere', async () => {
      const object = contactsObject({}, '/contacts/search-gte');
      const start = doneState('2024-05-01T11:00:00.000Z', null);
      const pageCount = (await collect(readStream(context(object), { object: 'contacts', mode: 'incremental', state: start }))).length;

      for (let stopAfter = 1; stopAfter <= pageCount; stopAfter += 1) {
        const { ids } = await readInTwoParts(object, 'incremental', start, stopAfter);
        expect(new Set(ids).size, `stopped after page ${stopAfter}`).toBe(ids.length);
        expect(ids.length).toBe(30);
      }
    });

    it('saves JSON-safe states', async () => {
      const pages = await collect(readStream(context(contactsObject()), { object: 'contacts', mode: 'incremental', state: doneState('2024-05-01T11:00:00.000Z', null) }));
      for (const page of pages) expect(JSON.parse(JSON.stringify(page.state))).toEqual(page.state);
    });
  });
});
