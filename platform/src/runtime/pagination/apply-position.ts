import { LumioError } from '../../errors/index.js';
import type { HttpRequest } from '../../http/index.js';
import { FORBIDDEN_SEGMENTS, splitDotPath } from '../../templates/index.js';
import type { RequestVariables } from '../connector-context.js';
import type { Pagination } from '../manifest-types.js';
import type { PagePosition } from './page-position.js';

/** Returns the template variables a page exposes: `cursor` and `pageSize`. */
export function pageVariables(pagination: Pagination | undefined, position: PagePosition | null): RequestVariables {
  const pageSize = pagination && 'pageSize' in pagination ? pagination.pageSize : undefined;
  const cursor = position?.type === 'cursor' ? position.cursor : null;
  return pageSize === undefined ? { cursor } : { cursor, pageSize };
}

/**
 * Puts a page position into a request built from the operation's template. The cursor,
 * offset or page number, and the page size, go into the query or the JSON body. A next
 * URL replaces the URL and its query, because such links carry their own parameters.
 */
export function applyPosition(request: HttpRequest, pagination: Pagination | undefined, position: PagePosition | null): HttpRequest {
  if (!pagination) return request;

  switch (pagination.type) {
    case 'cursor': {
      const cursor = position?.type === 'cursor' ? position.cursor : null;
      let next = setParam(request, pagination.in, pagination.param, cursor);
      if (pagination.pageSizeParam && pagination.pageSize !== undefined) {
        next = setParam(next, pagination.in, pagination.pageSizeParam, pagination.pageSize);
      }
      return next;
    }

    case 'offset': {
      const offset = position?.type === 'offset' ? position.offset : 0;
      const next = setParam(request, pagination.in, pagination.offsetParam, offset);
      return setParam(next, pagination.in, pagination.limitParam, pagination.pageSize);
    }

    case 'pageNumber': {
      const page = position?.type === 'pageNumber' ? position.page : (pagination.startPage ?? 1);
      let next = setParam(request, pagination.in, pagination.pageParam, page);
      if (pagination.pageSizeParam && pagination.pageSize !== undefined) {
        next = setParam(next, pagination.in, pagination.pageSizeParam, pagination.pageSize);
      }
      return next;
    }

    case 'linkHeader':
    case 'nextUrl':
      return position?.type === 'url' ? { ...request, url: position.url, query: {} } : request;
  }
}

/** Sets a query parameter or a body dot path; `null` removes it (a first page has no cursor). */
function setParam(request: HttpRequest, location: 'query' | 'body', name: string, value: string | number | null): HttpRequest {
  if (location === 'query') return { ...request, query: { ...request.query, [name]: value } };
  return { ...request, body: setBodyPath(request.body, name, value) };
}

function setBodyPath(body: unknown, path: string, value: string | number | null): Record<string, unknown> {
  const segments = splitDotPath(path);
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (forbidden !== undefined || segments.length === 0) {
    throw new LumioError(
      'PAGINATION_INVALID',
      `The pagination body path "${path}" is not usable; name a plain dot path such as "paging.after" in the manifest.`,
      { status: 500, fault: 'connector', details: { path } },
    );
  }

  const root = isPlainObject(body) ? { ...body } : {};
  let container: Record<string, unknown> = root;
  for (const segment of segments.slice(0, -1)) {
    const child = container[segment];
    const copy = isPlainObject(child) ? { ...child } : {};
    container[segment] = copy;
    container = copy;
  }

  const last = segments[segments.length - 1] as string;
  if (value === null) delete container[last];
  else container[last] = value;
  return root;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
