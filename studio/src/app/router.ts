import { useEffect, useState } from 'react';

/** The path the platform serves the studio under; vite.config.ts builds for the same base. */
export const BASE = '/studio';

export type Route =
  | { page: 'integrations' }
  | { page: 'connection'; id: string; tab: 'overview' | 'webhooks' }
  | { page: 'mapping'; id: string; object: string }
  | { page: 'notFound' };

/** Reads a route from a location path such as "/studio/integrations/hubspot/mappings/contacts". */
export function parseRoute(pathname: string): Route {
  const relative = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = relative.split('/').filter(Boolean).map(decodeURIComponent);

  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'integrations')) return { page: 'integrations' };
  if (parts[0] !== 'integrations' || parts[1] === undefined) return { page: 'notFound' };
  const id = parts[1];
  if (parts.length === 2) return { page: 'connection', id, tab: 'overview' };
  if (parts.length === 3 && parts[2] === 'webhooks') return { page: 'connection', id, tab: 'webhooks' };
  if (parts.length === 4 && parts[2] === 'mappings' && parts[3]) return { page: 'mapping', id, object: parts[3] };
  return { page: 'notFound' };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'integrations':
      return `${BASE}/`;
    case 'connection':
      return `${BASE}/integrations/${encodeURIComponent(route.id)}${route.tab === 'webhooks' ? '/webhooks' : ''}`;
    case 'mapping':
      return `${BASE}/integrations/${encodeURIComponent(route.id)}/mappings/${encodeURIComponent(route.object)}`;
    case 'notFound':
      return `${BASE}/`;
  }
}

const listeners = new Set<() => void>();

/** Moves to a studio page without reloading. */
export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function useLocation(): { pathname: string; search: string } {
  const read = () => ({ pathname: window.location.pathname, search: window.location.search });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}
