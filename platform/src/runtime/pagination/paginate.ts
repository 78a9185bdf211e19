import { LumioError } from '../../errors/index.js';
import type { HttpRequest, HttpResponse } from '../../http/index.js';
import type { ConnectorContext, RequestInfo, RequestVariables } from '../connector-context.js';
import { buildRequest, dispatchRequest, listAllowedHosts, prepareRequest } from '../execute-request.js';
import type { ListOperation } from '../manifest-types.js';
import { selectRecords } from '../select-records.js';
import { applyPosition, pageVariables } from './apply-position.js';
import { findNextPosition } from './next-position.js';
import { describePosition, positionKey, type PagePosition, type StoredPageRequest } from './page-position.js';

const DEFAULT_MAX_PAGES = 100_000;

export interface PaginateOptions {
  object: string;
  /** Operation name for messages, e.g. "list" or "listDeleted". */
  operationName: string;
  operation: ListOperation;
  vars: RequestVariables;
  /** Position to start from; null starts at the first page. */
  start: PagePosition | null;
  signal?: AbortSignal;
}

export interface FetchedPage {
  records: unknown[];
  response: HttpResponse;
  /** Position this page was fetched from (null for the first page). */
  position: PagePosition | null;
  /** Position of the following page, or null when this was the last. */
  next: PagePosition | null;
}

/**
 * Fetches the pages of a list operation one at a time. Raises `PAGINATION_LOOP` when a
 * cursor, offset, page or URL comes back a second time, or when more than the
 * operation's `maxPages` (default 100000) would be read.
 */
export async function* paginate(ctx: ConnectorContext, options: PaginateOptions): AsyncGenerator<FetchedPage> {
  const { operation } = options;
  const maxPages = operation.maxPages ?? DEFAULT_MAX_PAGES;
  const allowedHosts = listAllowedHosts(ctx);
  const seen = new Set<string>();
  let position = options.start;
  let pageCount = 0;

  for (;;) {
    if (options.signal?.aborted) {
      throw new LumioError('REQUEST_ABORTED', `Reading "${options.object}" was cancelled by the caller.`, {
        status: 400,
        fault: 'caller',
        cause: options.signal.reason,
      });
    }
    if (position) seen.add(positionKey(position));

    const info: RequestInfo = { operation: options.operationName, object: options.object };
    if (operation.endpointGroup !== undefined) info.endpointGroup = operation.endpointGroup;
    const request = await pageRequest(ctx, options, position, info);
    const response = await dispatchRequest(ctx, request, info);
    pageCount += 1;

    // The URL actually fetched counts as seen, so a Link chain pointing back at the first page is caught.
    if (position === null && (operation.pagination?.type === 'linkHeader' || operation.pagination?.type === 'nextUrl')) {
      seen.add(positionKey({ type: 'url', url: response.url }));
    }

    const records = selectRecords(response.body, operation.recordSelector, {
      object: options.object,
      operation: options.operationName,
    });
    const next = ctx.requestHooks?.nextPage
      ? toRequestPosition(await ctx.requestHooks.nextPage(response, request, info))
      : findNextPosition({ pagination: operation.pagination, response, position, recordCount: records.length, allowedHosts });

    yield { records, response, position, next };
    if (!next) return;

    // Checked after yielding, so the records of the last good page are still delivered.
    if (seen.has(positionKey(next))) {
      throw paginationLoop(options, `returned ${describePosition(next)} a second time`, next);
    }
    if (pageCount >= maxPages) {
      throw paginationLoop(options, `still had a next page (${describePosition(next)}) after maxPages (${maxPages}) pages`, next);
    }
    position = next;
  }
}

/**
 * Builds the request of one page: the plugin's stored request for a position its
 * `paginate` hook returned, otherwise the template with the position applied. A plugin's
 * `buildRequest` hook then changes either.
 */
async function pageRequest(ctx: ConnectorContext, options: PaginateOptions, position: PagePosition | null, info: RequestInfo): Promise<HttpRequest> {
  let request: HttpRequest;
  if (position?.type === 'request') {
    request = { ...structuredClone(position.request) };
  } else {
    const vars = { ...options.vars, ...pageVariables(options.operation.pagination, position) };
    request = applyPosition(buildRequest(ctx, options.operation, vars), options.operation.pagination, position);
  }

  request = await prepareRequest(ctx, request, info);
  if (options.signal) request.signal = options.signal;
  return request;
}

function toRequestPosition(request: HttpRequest | null): PagePosition | null {
  if (!request) return null;
  const stored: StoredPageRequest = { method: request.method, url: request.url, query: request.query ?? {}, headers: request.headers ?? {} };
  if (request.body !== undefined) stored.body = request.body;
  return { type: 'request', request: stored };
}

function paginationLoop(options: PaginateOptions, problem: string, position: PagePosition): LumioError {
  return new LumioError(
    'PAGINATION_LOOP',
    `The ${options.operationName} operation of "${options.object}" ${problem}, so paging stopped to avoid an endless loop; check the manifest's pagination settings or raise maxPages.`,
    {
      status: 502,
      fault: 'connector',
      details: { object: options.object, operation: options.operationName, position },
    },
  );
}
