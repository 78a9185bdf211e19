import type { HttpMethod, QueryValue } from '../../http/index.js';

/**
 * Position of a page in a list, as plain JSON so a stream state can store it. Callers
 * use `null` for the first page, which is built from the template alone.
 */
export type PagePosition =
  | { type: 'cursor'; cursor: string | number }
  | { type: 'offset'; offset: number }
  | { type: 'pageNumber'; page: number }
  | { type: 'url'; url: string }
  | { type: 'request'; request: StoredPageRequest };

/** A next-page request that a plugin's `paginate` hook returned, kept without its signal. */
export interface StoredPageRequest {
  method: HttpMethod;
  url: string;
  query: Record<string, QueryValue>;
  headers: Record<string, string>;
  body?: unknown;
}

/** Returns a key that is equal for two positions exactly when they would fetch the same page. */
export function positionKey(position: PagePosition): string {
  switch (position.type) {
    case 'cursor':
      return `cursor:${JSON.stringify(position.cursor)}`;
    case 'offset':
      return `offset:${position.offset}`;
    case 'pageNumber':
      return `page:${position.page}`;
    case 'url':
      return `url:${position.url}`;
    case 'request':
      return `request:${JSON.stringify([position.request.method, position.request.url, position.request.query, position.request.body ?? null])}`;
  }
}

/** Describes a position for messages, e.g. `cursor "abc"` or `offset 200`. */
export function describePosition(position: PagePosition): string {
  switch (position.type) {
    case 'cursor':
      return `cursor ${JSON.stringify(position.cursor)}`;
    case 'offset':
      return `offset ${position.offset}`;
    case 'pageNumber':
      return `page ${position.page}`;
    case 'url':
      return `next URL ${position.url.split('?')[0] ?? position.url}`;
    case 'request':
      return `plugin request ${position.request.method} ${position.request.url.split('?')[0] ?? position.request.url}`;
  }
}
