import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { LumioError } from '../../errors/index.js';
import type { Pagination } from '../manifest-types.js';
import { applyPosition } from './apply-position.js';
import { findNextPosition } from './next-position.js';

function response(body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status: 200, headers, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://api.example.test/v1/items?limit=2' };
}

function next(pagination: Pagination, body: unknown, recordCount: number, position: Parameters<typeof findNextPosition>[0]['position'] = null, headers = {}) {
  return findNextPosition({ pagination, response: response(body, headers), position, recordCount, allowedHosts: ['api.example.test'] });
}

describe('findNextPosition', () => {
  it('reads a cursor or stops', () => {
    const cursor: Pagination = { type: 'cursor', cursorPath: 'paging.next.after', in: 'query', param: 'after' };
    expect(next(cursor, { paging: { next: { after: 'abc' } } }, 2)).toEqual({ type: 'cursor', cursor: 'abc' });
    expect(next(cursor, { paging: { next: { after: '' } } }, 2)).toBeNull();
    expect(next(cursor, { paging: {} }, 2)).toBeNull();
  });

  it('advances offsets by records read', () => {
    const offset: Pagination = { type: 'offset', in: 'query', offsetParam: 'offset', limitParam: 'limit', pageSize: 10, totalPath: 'total' };
    expect(next(offset, { total: 25 }, 10, { type: 'offset', offset: 10 })).toEqual({ type: 'offset', offset: 20 });
    expect(next(offset, { total: 25 }, 5, { type: 'offset', offset: 20 })).toBeNull();
    expect(next(offset, { total: '30' }, 8)).toEqual({ type: 'offset', offset: 8 });
  });

  it('stops page numbers at total pages', () => {
    const pages: Pagination = { type: 'pageNumber', in: 'query', pageParam: 'page', totalPagesPath: 'pages' };
    expect(next(pages, { pages: 3 }, 5, { type: 'pageNumber', page: 2 })).toEqual({ type: 'pageNumber', page: 3 });
    expect(next(pages, { pages: 3 }, 5, { type: 'pageNumber', page: 3 })).toBeNull();
    expect(next(pages, { pages: 3 }, 0, { type: 'pageNumber', page: 1 })).toBeNull();
  });

  it('resolves Link headers against the response', () => {
    const link: Pagination = { type: 'linkHeader' };
    expect(next(link, [], 2, null, { link: '<?page=2&limit=2>; rel="next"' })).toEqual({
      type: 'url',
      url: 'https://api.example.test/v1/items?page=2&limit=2',
    });
  });

  it('rejects next URLs on other hosts', () => {
    const nextUrl: Pagination = { type: 'nextUrl', path: 'next' };
    expect(() => next(nextUrl, { next: 'https://evil.example.test/steal' }, 2)).toThrow(LumioError);
    expect(() => next(nextUrl, { next: 'file:///etc/passwd' }, 2)).toThrow(/scheme/);
  });
});

describe('applyPosition', () => {
  const request = { method: 'POST' as const, url: 'https://api.example.test/v1/search', query: { q: 'x' }, body: { filter: 1, paging: { after: 'old' } } };

  it('sets a body cursor path', () => {
    const pagination: Pagination = { type: 'cursor', cursorPath: 'next', in: 'body', param: 'paging.after', pageSize: 50, pageSizeParam: 'paging.limit' };
    expect(applyPosition(request, pagination, { type: 'cursor', cursor: 'c2' }).body).toEqual({ filter: 1, paging: { after: 'c2', limit: 50 } });
    expect(applyPosition(request, pagination, null).body).toEqual({ filter: 1, paging: { limit: 50 } });
    expect(request.body.paging.after).toBe('old');
  });

  it('replaces the URL for link pages', () => {
    const moved = applyPosition(request, { type: 'linkHeader' }, { type: 'url', url: 'https://api.example.test/v1/search?page=2' });
    expect(moved.url).toBe('https://api.example.test/v1/search?page=2');
    expect(moved.query).toEqual({});
  });
});
