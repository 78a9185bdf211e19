import { recordNotFound, validationError } from './errors.js';
import { buildProjection, recordJson, splitPropertyNames } from './record-json.js';
import { isNumericId } from './record-store.js';
import type { StoredRecord } from './record-store.js';
import type { RouteContext, RouteResult } from './route-context.js';

export const LIST_LIMITS = { defaultPageSize: 10, maxPageSize: 100 } as const;

/** Parses `archived`. Anything but "true" reads as false. */
export function parseArchived(query: URLSearchParams): boolean {
  return query.get('archived')?.toLowerCase() === 'true';
}

function parseListLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') {
    return LIST_LIMITS.defaultPageSize;
  }
  // NOTE: HubSpot does not document its message for an out-of-range list limit, so this text is the simulator's.
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > LIST_LIMITS.maxPageSize) {
    throw validationError(`The limit ${JSON.stringify(raw)} is out of range; pass 1 to ${LIST_LIMITS.maxPageSize}.`, {
      context: { limit: [raw] },
    });
  }
  return Number(raw);
}

function nextLink(context: RouteContext, after: string): string {
  const params = new URLSearchParams(context.query);
  params.set('after', after);
  return `${context.baseUrl}/crm/v3/objects/${context.typeSegment}?${params.toString()}`;
}

/**
 * `GET /crm/v3/objects/{objectType}`: one page in ascending id order. The `after` cursor
 * is the id to resume from (the last id on the page plus one), as HubSpot's is.
 */
export function listObjects(context: RouteContext): RouteResult {
  const { store, type, query } = context;
  const limit = parseListLimit(query);
  const archived = parseArchived(query);
  const projection = buildProjection(store, type, splitPropertyNames(query.getAll('properties')));

  const after = query.get('after');
  if (after !== null && after !== '' && !/^\d{1,16}$/.test(after)) {
    throw validationError(`The after cursor ${JSON.stringify(after)} is not valid; pass paging.next.after from the previous page.`, {
      context: { after: [after] },
    });
  }

  const ordered = store.ordered(type);
  let index = after === null || after === '' ? 0 : store.lowerBound(type, Number(after));
  const parts: string[] = [];
  let last: StoredRecord | undefined;
  for (; index < ordered.length && parts.length < limit; index++) {
    const record = ordered[index] as StoredRecord;
    if (record.archived === archived) {
      parts.push(recordJson(record, projection));
      last = record;
    }
  }

  let hasMore = false;
  for (; index < ordered.length; index++) {
    if ((ordered[index] as StoredRecord).archived === archived) {
      hasMore = true;
      break;
    }
  }

  let json = `{"results":[${parts.join(',')}]`;
  if (hasMore && last !== undefined) {
    const cursor = String(last.idNumber + 1);
    json += `,"paging":{"next":{"after":"${cursor}","link":${JSON.stringify(nextLink(context, cursor))}}}`;
  }
  return { status: 200, json: `${json}}` };
}

/**
 * Finds the record a path id names. With `idProperty` (a unique property such as a
 * contact's `email`) the id is that property's value.
 */
export function findRecordForPath(context: RouteContext, id: string, includeArchived: boolean): StoredRecord {
  const { store, type, query } = context;
  const idProperty = query.get('idProperty');

  let record: StoredRecord | undefined;
  if (idProperty !== null && idProperty !== '' && idProperty !== 'hs_object_id') {
    if (!store.isUniqueProperty(type, idProperty)) {
      throw validationError(`The idProperty "${idProperty}" is not a unique property of ${type}.`, {
        context: { idProperty: [idProperty] },
      });
    }
    record = store.findByProperty(type, idProperty, id);
    if (record === undefined || record.archived !== includeArchived) {
      throw recordNotFound(id, false);
    }
    return record;
  }

  record = store.get(type, id);
  if (record === undefined || record.archived !== includeArchived) {
    throw recordNotFound(id, isNumericId(id));
  }
  return record;
}

/** `GET /crm/v3/objects/{objectType}/{id}`. */
export function getObject(context: RouteContext, id: string): RouteResult {
  const record = findRecordForPath(context, id, parseArchived(context.query));
  const projection = buildProjection(context.store, context.type, splitPropertyNames(context.query.getAll('properties')));
  return { status: 200, json: recordJson(record, projection) };
}
