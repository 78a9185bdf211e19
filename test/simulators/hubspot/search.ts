import { validationError } from './errors.js';
import type { ObjectTypeName } from './object-types.js';
import { buildProjection, recordJson } from './record-json.js';
import type { RecordStore, StoredRecord } from './record-store.js';
import { compileFilter, compileSort } from './search-filters.js';
import type { RecordPredicate, SortDirection } from './search-filters.js';

/** Limits a search request must respect. */
export interface SearchLimits {
  maxFilterGroups: number;
  maxFiltersPerGroup: number;
  maxFilters: number;
  defaultPageSize: number;
  maxPageSize: number;
  /** `after` plus `limit` may not pass this many results in one query. */
  resultWindow: number;
}

/**
 * HubSpot's search limits as its search guide states them. NOTE: HubSpot's changelog of
 * August 2024 announced 10 filters per group and 25 in total instead of 6 and 18; the
 * guide's lower numbers are the default, and `searchLimits` in the simulator options
 * overrides them.
 */
export const SEARCH_LIMITS: Readonly<SearchLimits> = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  defaultPageSize: 10,
  maxPageSize: 200,
  resultWindow: 10_000,
};

interface ParsedSearch {
  groups: RecordPredicate[][];
  sort: { propertyName: string; direction: SortDirection } | undefined;
  query: string | undefined;
  limit: number;
  offset: number;
  properties: string[];
  /** Identifies the matching set (filters, query, sort), for the result cache. */
  matchKey: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSort(value: unknown): { propertyName: string; direction: SortDirection } {
  // HubSpot takes a sort as {"propertyName", "direction"} or as a name, "-name" meaning descending.
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    return text.startsWith('-')
      ? { propertyName: text.slice(1), direction: 'DESCENDING' }
      : { propertyName: text, direction: 'ASCENDING' };
  }
  if (isRecord(value) && typeof value.propertyName === 'string') {
    const direction = value.direction ?? 'ASCENDING';
    if (direction !== 'ASCENDING' && direction !== 'DESCENDING') {
      throw validationError(`The sort direction ${JSON.stringify(direction)} is not supported; use ASCENDING or DESCENDING.`);
    }
    return { propertyName: value.propertyName, direction };
  }
  throw validationError('A sort must be a property name or {"propertyName", "direction"}.');
}

function parseInteger(value: unknown, field: string): number {
  let text = '';
  if (typeof value === 'number') {
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  }
  if (!/^\d{1,9}$/.test(text)) {
    throw validationError(`The ${field} ${JSON.stringify(value)} is not a non-negative integer.`);
  }
  return Number(text);
}

/** Validates a search body against HubSpot's limits and compiles its filters. */
function parseSearch(store: RecordStore, type: ObjectTypeName, body: unknown, limits: SearchLimits): ParsedSearch {
  const request = body === undefined ? {} : body;
  if (!isRecord(request)) {
    throw validationError('Invalid input JSON: the search body must be a JSON object.');
  }

  const rawGroups = request.filterGroups ?? [];
  if (!Array.isArray(rawGroups)) {
    throw validationError('Invalid input JSON: filterGroups must be an array.');
  }
  if (rawGroups.length > limits.maxFilterGroups) {
    throw validationError(
      `The search has ${rawGroups.length} filterGroups; at most ${limits.maxFilterGroups} are allowed.`,
      { context: { filterGroups: [String(rawGroups.length)] } },
    );
  }

  let filterCount = 0;
  const groups = rawGroups.map((group, groupIndex) => {
    const filters = isRecord(group) ? group.filters : undefined;
    if (!Array.isArray(filters) || filters.length === 0) {
      throw validationError(`filterGroups[${groupIndex}] has no filters; each group needs at least one.`);
    }
    if (filters.length > limits.maxFiltersPerGroup) {
      throw validationError(
        `filterGroups[${groupIndex}] has ${filters.length} filters; at most ${limits.maxFiltersPerGroup} are allowed in one group.`,
      );
    }
    filterCount += filters.length;
    return filters.map((filter, filterIndex) =>
      compileFilter(store, type, filter, `filterGroups[${groupIndex}].filters[${filterIndex}]`),
    );
  });
  if (filterCount > limits.maxFilters) {
    throw validationError(`The search has ${filterCount} filters; at most ${limits.maxFilters} are allowed in total.`);
  }

  const rawSorts = request.sorts ?? [];
  if (!Array.isArray(rawSorts)) {
    throw validationError('Invalid input JSON: sorts must be an array.');
  }
  if (rawSorts.length > 1) {
    throw validationError(`The search has ${rawSorts.length} sorts; only one sort rule is allowed.`);
  }
  const sort = rawSorts.length === 1 ? parseSort(rawSorts[0]) : undefined;
  if (sort !== undefined) {
    compileSort(store, type, sort.propertyName, sort.direction);
  }

  const limit = request.limit === undefined || request.limit === null ? limits.defaultPageSize : parseInteger(request.limit, 'limit');
  if (limit < 1 || limit > limits.maxPageSize) {
    throw validationError(`The limit ${limit} is out of range; pass 1 to ${limits.maxPageSize}.`, {
      context: { limit: [String(limit)] },
    });
  }

  const offset = request.after === undefined || request.after === null || request.after === '' ? 0 : parseInteger(request.after, 'after');
  // NOTE: HubSpot returns 400 when paging past 10,000 results, but its message text is not documented, so this one is the simulator's.
  if (offset + limit > limits.resultWindow) {
    throw validationError(
      `Paging past ${limits.resultWindow} results is not supported: after (${offset}) plus limit (${limit}) exceeds ${limits.resultWindow}. Narrow the filters instead.`,
      { context: { after: [String(offset)], limit: [String(limit)] } },
    );
  }

  const rawProperties = request.properties ?? [];
  if (!Array.isArray(rawProperties) || rawProperties.some((name) => typeof name !== 'string')) {
    throw validationError('Invalid input JSON: properties must be an array of strings.');
  }

  const query = typeof request.query === 'string' && request.query.trim() !== '' ? request.query.trim() : undefined;

  return {
    groups,
    sort,
    query,
    limit,
    offset,
    properties: rawProperties as string[],
    matchKey: JSON.stringify([type, request.filterGroups ?? [], sort ?? null, query ?? null]),
  };
}

interface CachedMatches {
  version: number;
  records: StoredRecord[];
}

/**
 * Keeps the sorted matches of recent queries so that paging through one query filters
 * and sorts the store once, until the store changes.
 */
export class SearchCache {
  private readonly entries = new Map<string, CachedMatches>();

  constructor(private readonly maxEntries = 32) {}

  get(key: string, version: number): StoredRecord[] | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.version !== version) {
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.records;
  }

  set(key: string, version: number, records: StoredRecord[]): void {
    this.entries.delete(key);
    this.entries.set(key, { version, records });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

function findMatches(store: RecordStore, type: ObjectTypeName, search: ParsedSearch): StoredRecord[] {
  const queryText = search.query?.toLowerCase();
  const queryProperties = store.schema(type).queryProperties;

  const matches = store.ordered(type).filter((record) => {
    // Search never returns archived records.
    if (record.archived) {
      return false;
    }
    if (search.groups.length > 0 && !search.groups.some((group) => group.every((predicate) => predicate(record)))) {
      return false;
    }
    if (queryText !== undefined) {
      return queryProperties.some((name) => record.properties[name]?.toLowerCase().includes(queryText) ?? false);
    }
    return true;
  });

  // Without a sort, results stay in the store's id order, which `filter` keeps.
  if (search.sort !== undefined) {
    matches.sort(compileSort(store, type, search.sort.propertyName, search.sort.direction));
  }
  return matches;
}

/**
 * Runs a search request and returns HubSpot's response JSON:
 * `{"total", "results", "paging": {"next": {"after"}}}`, with `paging` only when more remain.
 */
export function runSearch(
  store: RecordStore,
  type: ObjectTypeName,
  body: unknown,
  cache: SearchCache,
  limits: SearchLimits = SEARCH_LIMITS,
): string {
  const search = parseSearch(store, type, body, limits);
  const version = store.version(type);

  let matches = cache.get(search.matchKey, version);
  if (matches === undefined) {
    matches = findMatches(store, type, search);
    cache.set(search.matchKey, version, matches);
  }

  const projection = buildProjection(store, type, search.properties);
  const page = matches.slice(search.offset, search.offset + search.limit);
  const nextOffset = search.offset + page.length;

  let json = `{"total":${matches.length},"results":[${page.map((record) => recordJson(record, projection)).join(',')}]`;
  if (nextOffset < matches.length) {
    json += `,"paging":{"next":{"after":"${nextOffset}"}}`;
  }
  return `${json}}`;
}
