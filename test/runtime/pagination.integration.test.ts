import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../platform/src/http/index.js';
import { readStream, type StreamPage } from '../../platform/src/runtime/index.js';
import type { ListOperation } from '../../platform/src/runtime/manifest-types.js';
import { buildContext, buildManifest, buildObject, captureRejection, collect } from './support/connector-fixture.js';
import { startJsonApiServer, type JsonApiServer, type ReceivedRequest, type ServerReply } from './support/json-api-server.js';

const RECORDS = Array.from({ length: 23 }, (_, index) => ({ id: String(index + 1), name: `Item ${index + 1}` }));
const ALL_IDS = RECORDS.map((record) => record.id);

function numberParam(request: ReceivedRequest, name: string, fallback: number): number {
  const fromQuery = request.query.get(name);
  if (fromQuery !== null) return Number(fromQuery);
  const fromBody = (request.body as Record<string, unknown> | undefined)?.[name];
  return fromBody === undefined ? fallback : Number(fromBody);
}

function route(request: ReceivedRequest, server: JsonApiServer): ServerReply {
  switch (request.path) {
    case '/cursor': {
      const after = numberParam(request, 'after', 0);
      const limit = numberParam(request, 'limit', 10);
      const results = RECORDS.slice(after, after + limit);
      const next = after + limit < RECORDS.length ? { next: { after: String(after + limit) } } : {};
      return { body: { results, paging: next } };
    }
    case '/offset': {
      const offset = numberParam(request, 'offset', 0);
      const limit = numberParam(request, 'limit', 10);
      return { body: { items: RECORDS.slice(offset, offset + limit), total: RECORDS.length } };
    }
    case '/offset-short': {
      const offset = numberParam(request, 'start', 0);
      const limit = numberParam(request, 'count', 10);
      return { body: RECORDS.slice(offset, offset + limit) };
    }
    case '/pages': {
      const page = numberParam(request, 'page', 1);
      const size = numberParam(request, 'per_page', 5);
      const totalPages = Math.ceil(RECORDS.length / size);
      return { body: { data: RECORDS.slice((page - 1) * size, page * size), meta: { total_pages: totalPages } } };
    }
    case '/pages-short': {
      const page = numberParam(request, 'page', 0);
      return { body: { data: RECORDS.slice(page * 6, page * 6 + 6) } };
    }
    case '/v1/link': {
      const cursor = Number(request.query.get('page_info') ?? 0);
      const results = RECORDS.slice(cursor, cursor + 7);
      const headers: Record<string, string> = {};
      if (cursor + 7 < RECORDS.length) {
        // A relative link, a prev link and a quoted rel with two relation types, as real APIs mix them.
        headers.link = `<${server.url}/v1/link?page_info=0>; rel="previous", <link?page_info=${cursor + 7}&limit=7>; rel="next last"`;
      }
      return { headers, body: { items: results } };
    }
    case '/next-url': {
      const cursor = Number(request.query.get('from') ?? 0);
      const next = cursor + 8 < RECORDS.length ? `${server.url}/next-url?from=${cursor + 8}` : null;
      return { body: { records: RECORDS.slice(cursor, cursor + 8), links: { next } } };
    }
    case '/loop':
      return { body: { results: RECORDS.slice(0, 2), paging: { next: { after: 'abc' } } } };
    case '/endless': {
      const page = Number(request.query.get('page') ?? 1);
      return { headers: { link: `</endless?page=${page + 1}>; rel=next` }, body: [RECORDS[page % RECORDS.length]] };
    }
    case '/elsewhere':
      return { body: { records: RECORDS.slice(0, 1), links: { next: `http://localhost:${server.port}/elsewhere?page=2` } } };
    case '/not-array':
      return { body: { results: { id: '1' }, paging: {} } };
    default:
      return { status: 404, body: { message: `no route ${request.path}` } };
  }
}

describe('pagination end to end', () => {
  let server: JsonApiServer;
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    server = await startJsonApiServer(route);
  });

  afterEach(() => {
    server.requests.length = 0;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  async function readAll(list: ListOperation): Promise<{ pages: StreamPage[]; ids: string[] }> {
    const manifest = buildManifest(server.url, { items: buildObject({ list }) });
    const { ctx, http } = buildContext(manifest);
    clients.push(http);
    const pages = await collect(readStream(ctx, { object: 'items', mode: 'full' }));
    return { pages, ids: pages.flatMap((page) => page.records.map((record) => (record as { id: string }).id)) };
  }

  it('follows a cursor in the query', async () => {
    const { pages, ids } = await readAll({
      method: 'GET',
      path: '/cursor',
      recordSelector: { path: 'results' },
      pagination: { type: 'cursor', cursorPath: 'paging.next.after', in: 'query', param: 'after', pageSize: 10, pageSizeParam: 'limit' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(pages).toHaveLength(3);
    expect(server.requests.map((request) => request.query.get('after'))).toEqual([null, '10', '20']);
    expect(server.requests.every((request) => request.query.get('limit') === '10')).toBe(true);
    expect(pages[2]?.state.phase).toBe('done');
  });

  it('follows a cursor in the body', async () => {
    const { ids } = await readAll({
      method: 'POST',
      path: '/cursor',
      body: { filter: { archived: false } },
      recordSelector: { path: 'results' },
      pagination: { type: 'cursor', cursorPath: 'paging.next.after', in: 'body', param: 'after', pageSize: 9, pageSizeParam: 'limit' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests.map((request) => request.body)).toEqual([
      { filter: { archived: false }, limit: 9 },
      { filter: { archived: false }, after: '9', limit: 9 },
      { filter: { archived: false }, after: '18', limit: 9 },
    ]);
  });

  it('pages by offset with total', async () => {
    const { ids } = await readAll({
      method: 'GET',
      path: '/offset',
      recordSelector: { path: 'items' },
      pagination: { type: 'offset', in: 'query', offsetParam: 'offset', limitParam: 'limit', pageSize: 10, totalPath: 'total' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests.map((request) => request.query.get('offset'))).toEqual(['0', '10', '20']);
  });

  it('pages by offset until short', async () => {
    const { ids } = await readAll({
      method: 'POST',
      path: '/offset-short',
      recordSelector: { path: '' },
      pagination: { type: 'offset', in: 'body', offsetParam: 'start', limitParam: 'count', pageSize: 5 },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests).toHaveLength(5);
  });

  it('stops offset on empty page', async () => {
    // 23 records in pages of 23: the first page is full, so a second (empty) page ends the list.
    const { ids } = await readAll({
      method: 'GET',
      path: '/offset-short',
      recordSelector: { path: '' },
      pagination: { type: 'offset', in: 'query', offsetParam: 'start', limitParam: 'count', pageSize: 23 },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests).toHaveLength(2);
  });

  it('pages by number with total pages', async () => {
    const { ids, pages } = await readAll({
      method: 'GET',
      path: '/pages',
      recordSelector: { path: 'data' },
      pagination: { type: 'pageNumber', in: 'query', pageParam: 'page', pageSizeParam: 'per_page', pageSize: 5, totalPagesPath: 'meta.total_pages' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(pages).toHaveLength(5);
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('pages by number until short', async () => {
    const { ids } = await readAll({
      method: 'GET',
      path: '/pages-short',
      recordSelector: { path: 'data' },
      pagination: { type: 'pageNumber', in: 'query', pageParam: 'page', startPage: 0, pageSize: 6 },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests.map((request) => request.query.get('page'))).toEqual(['0', '1', '2', '3']);
  });

  it('follows relative Link headers', async () => {
    const { ids } = await readAll({
      method: 'GET',
      path: '/v1/link',
      query: { limit: 7, fields: 'id,name' },
      recordSelector: { path: 'items' },
      pagination: { type: 'linkHeader' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/link', '/v1/link', '/v1/link', '/v1/link']);
    // Later pages use the link as given; the template's query is not added again.
    expect(server.requests[1]?.query.get('fields')).toBeNull();
    expect(server.requests[1]?.query.get('page_info')).toBe('7');
  });

  it('follows a next URL in the body', async () => {
    const { ids } = await readAll({
      method: 'GET',
      path: '/next-url',
      recordSelector: { path: 'records' },
      pagination: { type: 'nextUrl', path: 'links.next' },
    });
    expect(ids).toEqual(ALL_IDS);
    expect(server.requests).toHaveLength(3);
  });

  it('stops a repeated cursor', async () => {
    const manifest = buildManifest(server.url, {
      items: buildObject({
        list: {
          method: 'GET',
          path: '/loop',
          recordSelector: { path: 'results' },
          pagination: { type: 'cursor', cursorPath: 'paging.next.after', in: 'query', param: 'after' },
        },
      }),
    });
    const { ctx, http } = buildContext(manifest);
    clients.push(http);
    const seen: StreamPage[] = [];
    const error = await captureRejection(async () => {
      for await (const page of readStream(ctx, { object: 'items', mode: 'full' })) seen.push(page);
    });
    expect(error.code).toBe('PAGINATION_LOOP');
    expect(error.message).toContain('"items"');
    expect(error.message).toContain('list');
    expect(error.message).toContain('"abc"');
    expect(server.requests).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });

  it('stops an endless Link chain', async () => {
    const manifest = buildManifest(server.url, {
      items: buildObject({
        list: { method: 'GET', path: '/endless', recordSelector: { path: '' }, pagination: { type: 'linkHeader' }, maxPages: 5 },
      }),
    });
    const { ctx, http } = buildContext(manifest);
    clients.push(http);
    let pages = 0;
    const error = await captureRejection(async () => {
      for await (const _page of readStream(ctx, { object: 'items', mode: 'full' })) pages += 1;
    });
    expect(error.code).toBe('PAGINATION_LOOP');
    expect(error.message).toContain('maxPages (5)');
    expect(pages).toBe(5);
    expect(server.requests).toHaveLength(5);
  });

  it('rejects a next URL elsewhere', async () => {
    const manifest = buildManifest(server.url, {
      items: buildObject({
        list: { method: 'GET', path: '/elsewhere', recordSelector: { path: 'records' }, pagination: { type: 'nextUrl', path: 'links.next' } },
      }),
    });
    const { ctx, http } = buildContext(manifest);
    clients.push(http);
    const error = await captureRejection(() => collect(readStream(ctx, { object: 'items', mode: 'full' })));
    expect(error.code).toBe('HOST_NOT_ALLOWED');
    expect(error.message).toContain(`localhost:${server.port}`);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a non-array selection', async () => {
    const manifest = buildManifest(server.url, {
      items: buildObject({ list: { method: 'GET', path: '/not-array', recordSelector: { path: 'results' } } }),
    });
    const { ctx, http } = buildContext(manifest);
    clients.push(http);
    const error = await captureRejection(() => collect(readStream(ctx, { object: 'items', mode: 'full' })));
    expect(error.code).toBe('RECORD_SELECTOR_INVALID');
    expect(error.message).toContain('an object with keys id');
  });
});
