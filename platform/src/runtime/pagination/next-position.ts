import { LumioError } from '../../errors/index.js';
import { assertHostAllowed, findLinkUrl, type HttpResponse } from '../../http/index.js';
import { getPath } from '../get-path.js';
import type { Pagination } from '../manifest-types.js';
import type { PagePosition } from './page-position.js';

export interface NextPositionInput {
  pagination: Pagination | undefined;
  response: HttpResponse;
  /** Position the response was fetched from; null for the first page. */
  position: PagePosition | null;
  recordCount: number;
  /** Hosts a next-page URL may point at. */
  allowedHosts: readonly string[];
}

/**
 * Works out the position of the page after `response`, or null when it was the last.
 * A next-page URL on a host outside `allowedHosts` raises `HOST_NOT_ALLOWED`.
 */
export function findNextPosition(input: NextPositionInput): PagePosition | null {
  const { pagination, response, position, recordCount } = input;
  if (!pagination) return null;

  switch (pagination.type) {
    case 'cursor': {
      const cursor = getPath(response.body, pagination.cursorPath);
      if (cursor === undefined || cursor === null || cursor === '') return null;
      if (typeof cursor !== 'string' && typeof cursor !== 'number') {
        throw invalidPagination(`the cursor at "${pagination.cursorPath}" is not a string or number`);
      }
      return { type: 'cursor', cursor };
    }

    case 'offset': {
      if (recordCount === 0) return null;
      const offset = (position?.type === 'offset' ? position.offset : 0) + recordCount;
      const total = pagination.totalPath === undefined ? undefined : readCount(getPath(response.body, pagination.totalPath));
      if (total !== undefined) return offset >= total ? null : { type: 'offset', offset };
      return recordCount < pagination.pageSize ? null : { type: 'offset', offset };
    }

    case 'pageNumber': {
      if (recordCount === 0) return null;
      const page = position?.type === 'pageNumber' ? position.page : (pagination.startPage ?? 1);
      const totalPages =
        pagination.totalPagesPath === undefined ? undefined : readCount(getPath(response.body, pagination.totalPagesPath));
      if (totalPages !== undefined) return page >= totalPages ? null : { type: 'pageNumber', page: page + 1 };
      if (pagination.pageSize !== undefined && recordCount < pagination.pageSize) return null;
      return { type: 'pageNumber', page: page + 1 };
    }

    case 'linkHeader': {
      const url = findLinkUrl(response.headers.link, pagination.rel ?? 'next', response.url);
      return url === undefined ? null : checkedUrlPosition(url, input.allowedHosts);
    }

    case 'nextUrl': {
      const next = getPath(response.body, pagination.path);
      if (next === undefined || next === null || next === '') return null;
      if (typeof next !== 'string' || !URL.canParse(next, response.url)) {
        throw invalidPagination(`the next-page URL at "${pagination.path}" is not a URL`);
      }
      return checkedUrlPosition(new URL(next, response.url).href, input.allowedHosts);
    }
  }
}

/** Reads a total count sent as a number or a numeric string; undefined otherwise. */
export function readCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

function checkedUrlPosition(url: string, allowedHosts: readonly string[]): PagePosition {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalidPagination(`the next-page URL uses the scheme "${parsed.protocol}"`);
  }
  assertHostAllowed(parsed, allowedHosts);
  return { type: 'url', url: parsed.href };
}

function invalidPagination(problem: string): LumioError {
  return new LumioError('PAGINATION_INVALID', `The provider's response cannot be paged because ${problem}; check the manifest's pagination settings.`, {
    status: 502,
    fault: 'connector',
  });
}
