import { describe, expect, it } from 'vitest';

import { HubSpotApiError } from './errors.js';
import { RecordStore } from './record-store.js';
import { runSearch, SEARCH_LIMITS, SearchCache } from './search.js';

interface SearchPage {
  total: number;
  results: { id: string; properties: Record<string, string | null> }[];
  paging?: { next: { after: string } };
}

function fixtureStore(): RecordStore {
  const store = new RecordStore(() => Date.parse('2025-06-01T00:00:00.000Z'));
  const rows: [string, Record<string, string | null>][] = [
    ['1', { firstname: 'João', lastname: 'Conceição', email: 'joao@example.com', lifecyclestage: 'lead', lastmodifieddate: '2024-01-01T00:00:00.000Z', phone: '+351 912 000 001' }],
    ['2', { firstname: 'joão', lastname: 'Silva', email: 'js@example.org', lifecyclestage: 'customer', lastmodifieddate: '2024-02-01T00:00:00.000Z', phone: null }],
    ['3', { firstname: 'Ângela', lastname: 'Magalhães', email: 'angela@empresa.example', lifecyclestage: 'Lead', lastmodifieddate: '2024-02-01T00:00:00.000Z', phone: '' }],
    ['10', { firstname: 'Zé 🚀', lastname: "O'Brien", email: 'ze@example.com', lifecyclestage: 'lead', lastmodifieddate: '2024-02-01T00:00:00.000Z', phone: '+1 555-0100' }],
    ['11', { firstname: 'Emma', lastname: null, email: 'emma@example.com', lifecyclestage: 'opportunity', lastmodifieddate: '2023-12-31T23:59:59.999Z', phone: null }],
    ['12', { firstname: 'Archived', lastname: 'Person', email: 'old@example.com', lifecyclestage: 'lead', lastmodifieddate: '2024-03-01T00:00:00.000Z', phone: null }],
  ];
  for (const [id, properties] of rows) {
    store.insert('contacts', { id, properties: { ...properties, createdate: '2023-06-01T00:00:00.000Z' } });
  }
  store.archive('contacts', '12');

  store.insert('deals', { id: '1', properties: { dealname: 'A', amount: '9', createdate: '2024-01-01T00:00:00.000Z' } });
  store.insert('deals', { id: '2', properties: { dealname: 'B', amount: '10', createdate: '2024-01-01T00:00:00.000Z' } });
  store.insert('deals', { id: '3', properties: { dealname: 'C', amount: '100.5', createdate: '2024-01-01T00:00:00.000Z' } });
  store.insert('deals', { id: '4', properties: { dealname: 'D', createdate: '2024-01-01T00:00:00.000Z' } });
  return store;
}

function search(store: RecordStore, body: unknown, type: 'contacts' | 'deals' = 'contacts'): SearchPage {
  return JSON.parse(runSearch(store, type, body, new SearchCache())) as SearchPage;
}

function ids(page: SearchPage): string[] {
  return page.results.map((result) => result.id);
}

function filter(propertyName: string, operator: string, extra: Record<string, unknown> = {}): unknown {
  return { filterGroups: [{ filters: [{ propertyName, operator, ...extra }] }] };
}

function searchError(store: RecordStore, body: unknown, type: 'contacts' | 'deals' = 'contacts'): HubSpotApiError {
  try {
    search(store, body, type);
  } catch (error) {
    if (error instanceof HubSpotApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('The search did not fail.');
}

describe('search filters', () => {
  const store = fixtureStore();

  it('matches text EQ case-insensitively', () => {
    expect(ids(search(store, filter('firstname', 'EQ', { value: 'JOÃO' })))).toEqual(['1', '2']);
  });

  it('matches enumerations case-sensitively', () => {
    expect(ids(search(store, filter('lifecyclestage', 'EQ', { value: 'lead' })))).toEqual(['1', '10']);
    expect(ids(search(store, filter('lifecyclestage', 'EQ', { value: 'Lead' })))).toEqual(['3']);
  });

  it('includes missing values in NEQ', () => {
    expect(ids(search(store, filter('lastname', 'NEQ', { value: 'silva' })))).toEqual(['1', '3', '10', '11']);
  });

  it('compares numbers numerically', () => {
    expect(ids(search(store, filter('amount', 'GT', { value: '9.5' }), 'deals'))).toEqual(['2', '3']);
    expect(ids(search(store, filter('amount', 'LTE', { value: 10 }), 'deals'))).toEqual(['1', '2']);
  });

  it('accepts datetime filters as epoch or ISO', () => {
    const epoch = String(Date.parse('2024-02-01T00:00:00.000Z'));
    const byEpoch = search(store, filter('lastmodifieddate', 'GTE', { value: epoch }));
    const byIso = search(store, filter('lastmodifieddate', 'GTE', { value: '2024-02-01T00:00:00Z' }));

    expect(ids(byEpoch)).toEqual(['2', '3', '10']);
    expect(ids(byIso)).toEqual(ids(byEpoch));
    expect(ids(search(store, filter('lastmodifieddate', 'LT', { value: '2024-01-01' })))).toEqual(['11']);
  });

  it('treats empty values as missing', () => {
    expect(ids(search(store, filter('phone', 'HAS_PROPERTY')))).toEqual(['1', '10']);
    expect(ids(search(store, filter('phone', 'NOT_HAS_PROPERTY')))).toEqual(['2', '3', '11']);
  });

  it('needs lower-case IN values for text', () => {
    expect(ids(search(store, filter('lastname', 'IN', { values: ['silva', "o'brien"] })))).toEqual(['2', '10']);
    expect(ids(search(store, filter('lastname', 'IN', { values: ['Silva'] })))).toEqual([]);
    expect(ids(search(store, filter('lastname', 'NOT_IN', { values: ['silva'] })))).toEqual(['1', '3', '10', '11']);
  });

  it('matches BETWEEN inclusively', () => {
    expect(ids(search(store, filter('amount', 'BETWEEN', { value: '9', highValue: '10' }), 'deals'))).toEqual(['1', '2']);
  });

  it('matches tokens and wildcards', () => {
    expect(ids(search(store, filter('email', 'CONTAINS_TOKEN', { value: 'example' })))).toEqual(['1', '2', '3', '10', '11']);
    expect(ids(search(store, filter('email', 'CONTAINS_TOKEN', { value: '*@example.com' })))).toEqual(['1', '10', '11']);
    expect(ids(search(store, filter('email', 'NOT_CONTAINS_TOKEN', { value: 'com' })))).toEqual(['2', '3']);
  });

  it('ORs groups and ANDs filters', () => {
    const body = {
      filterGroups: [
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'joão' }, { propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] },
        { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'emma' }] },
      ],
    };

    expect(ids(search(store, body))).toEqual(['2', '11']);
  });

  it('never returns archived records', () => {
    expect(ids(search(store, filter('email', 'EQ', { value: 'old@example.com' })))).toEqual([]);
    expect(search(store, {}).total).toBe(5);
  });

  it('rejects unknown properties', () => {
    const error = searchError(store, filter('favouritecolour', 'EQ', { value: 'x' }));

    expect(error.status).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
  });

  it('rejects an unparsable datetime', () => {
    expect(searchError(store, filter('lastmodifieddate', 'GT', { value: 'yesterday' })).status).toBe(400);
  });

  it('rejects an unknown operator', () => {
    expect(searchError(store, filter('email', 'LIKE', { value: 'x' })).status).toBe(400);
  });
});

describe('search sorting', () => {
  const store = fixtureStore();

  it('orders ties by id ascending', () => {
    const ascending = search(store, { sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] });
    const descending = search(store, { sorts: ['-lastmodifieddate'] });

    expect(ids(ascending)).toEqual(['11', '1', '2', '3', '10']);
    expect(ids(descending)).toEqual(['2', '3', '10', '1', '11']);
  });

  it('puts missing values last', () => {
    expect(ids(search(store, { sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }] }, 'deals'))).toEqual(['3', '2', '1', '4']);
    expect(ids(search(store, { sorts: ['amount'] }, 'deals'))).toEqual(['1', '2', '3', '4']);
  });

  it('rejects two sort rules', () => {
    expect(searchError(store, { sorts: ['firstname', 'lastname'] }).status).toBe(400);
  });
});

describe('search limits', () => {
  const store = fixtureStore();
  const oneFilter = { propertyName: 'email', operator: 'HAS_PROPERTY' };

  it('allows the maximum shapes', () => {
    const fiveGroups = Array.from({ length: 5 }, () => ({ filters: Array.from({ length: 3 }, () => oneFilter) }));
    const eighteenFilters = Array.from({ length: 3 }, () => ({ filters: Array.from({ length: 6 }, () => oneFilter) }));

    expect(search(store, { filterGroups: fiveGroups }).total).toBe(5);
    expect(search(store, { filterGroups: eighteenFilters }).total).toBe(5);
  });

  it('rejects a sixth filter group', () => {
    const groups = Array.from({ length: 6 }, () => ({ filters: [oneFilter] }));
    expect(searchError(store, { filterGroups: groups }).status).toBe(400);
  });

  it('rejects seven filters in a group', () => {
    expect(searchError(store, { filterGroups: [{ filters: Array.from({ length: 7 }, () => oneFilter) }] }).status).toBe(400);
  });

  it('rejects more than eighteen filters', () => {
    const groups = Array.from({ length: 4 }, () => ({ filters: Array.from({ length: 5 }, () => oneFilter) }));
    expect(searchError(store, { filterGroups: groups }).body.message).toMatch(/20 filters/);
  });

  it('takes overridden filter limits', () => {
    const body = { filterGroups: [{ filters: Array.from({ length: 10 }, () => oneFilter) }] };
    const page = JSON.parse(runSearch(store, 'contacts', body, new SearchCache(), { ...SEARCH_LIMITS, maxFiltersPerGroup: 10, maxFilters: 25 })) as SearchPage;

    expect(searchError(store, body).status).toBe(400);
    expect(page.total).toBe(5);
  });

  it('rejects a limit over 200', () => {
    expect(search(store, { limit: 200 }).results).toHaveLength(5);
    expect(searchError(store, { limit: 201 }).status).toBe(400);
  });

  it('rejects paging past 10,000', () => {
    expect(search(store, { after: '9800', limit: 200 }).results).toEqual([]);
    const error = searchError(store, { after: '9900', limit: 101 });

    expect(error.status).toBe(400);
    expect(error.body.status).toBe('error');
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(typeof error.body.correlationId).toBe('string');
  });

  it('pages with an offset cursor', () => {
    const first = search(store, { limit: 2 });
    const second = search(store, { limit: 2, after: first.paging?.next.after });
    const last = search(store, { limit: 2, after: second.paging?.next.after });

    expect(first.paging?.next.after).toBe('2');
    expect([...ids(first), ...ids(second), ...ids(last)]).toEqual(['1', '2', '3', '10', '11']);
    expect(last.paging).toBeUndefined();
    expect(last.total).toBe(5);
  });

  it('sees changes despite the cache', () => {
    const cache = new SearchCache();
    const body = filter('firstname', 'EQ', { value: 'emma' });
    const before = JSON.parse(runSearch(store, 'contacts', body, cache)) as SearchPage;
    store.update('contacts', '1', { firstname: 'Emma' });
    const after = JSON.parse(runSearch(store, 'contacts', body, cache)) as SearchPage;

    expect(ids(before)).toEqual(['11']);
    expect(ids(after)).toEqual(['1', '11']);
  });
});
