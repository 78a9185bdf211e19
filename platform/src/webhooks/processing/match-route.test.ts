import { describe, expect, it } from 'vitest';

import { matchRoute } from './match-route.js';

const routes = [
  { eventType: 'contact.deletion', object: 'contacts', action: 'delete' as const, idPath: 'objectId' },
  { eventType: 'contact.*', object: 'contacts', action: 'fetch' as const, idPath: 'objectId' },
  { eventType: '*', object: 'companies', action: 'fetch' as const, idPath: 'id' },
];

describe('matchRoute', () => {
  it('prefers the first matching route', () => {
    expect(matchRoute(routes, 'contact.deletion')?.action).toBe('delete');
  });

  it('matches a prefix ending in a star', () => {
    expect(matchRoute(routes, 'contact.propertyChange')?.action).toBe('fetch');
    expect(matchRoute(routes, 'contact.propertyChange')?.object).toBe('contacts');
  });

  it('falls through to the catch-all route', () => {
    expect(matchRoute(routes, 'deal.creation')?.object).toBe('companies');
  });

  it('matches nothing without a type or routes', () => {
    expect(matchRoute(routes, null)).toBeUndefined();
    expect(matchRoute(undefined, 'contact.creation')).toBeUndefined();
    expect(matchRoute(routes.slice(0, 2), 'deal.creation')).toBeUndefined();
  });

  it('does not treat a star inside a type as a wildcard', () => {
    expect(matchRoute([{ eventType: 'contact', object: 'contacts', action: 'fetch', idPath: 'id' }], 'contact.creation')).toBeUndefined();
  });
});
