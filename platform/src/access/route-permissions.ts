import type { Permission } from './permissions.js';

/** The access a `/v1` route requires of its caller. */
export type RouteAccess =
  /** No authentication at all: the OpenAPI document, its reference page, the OAuth callback and the login. */
  | { kind: 'public' }
  /** Any authenticated caller, with no particular permission: reading and ending one's own session. */
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: Permission };

interface RouteRule {
  /** Methods the rule applies to; `*` is every method. HEAD is checked as GET. */
  methods: readonly string[] | '*';
  /** Path segments: a literal, `*` for any one segment, or a final `**` for any number of segments, none included. */
  pattern: string;
  access: RouteAccess;
}

const READ = ['GET'];
const CHANGE = ['POST', 'PUT', 'PATCH'];

function permission(name: Permission): RouteAccess {
  return { kind: 'permission', permission: name };
}

/**
 * The permission each `/v1` route needs. The first rule that matches decides, and a route
 * that matches no rule is denied to every caller. A test walks the application's routes
 * and fails for any route without a rule here.
 */
export const ROUTE_RULES: readonly RouteRule[] = [
  { methods: READ, pattern: '/v1/openapi.json', access: { kind: 'public' } },
  { methods: READ, pattern: '/v1/docs/**', access: { kind: 'public' } },
  // The OAuth state parameter authenticates the provider's redirect.
  { methods: READ, pattern: '/v1/oauth/callback', access: { kind: 'public' } },
  { methods: ['POST'], pattern: '/v1/session', access: { kind: 'public' } },
  { methods: ['GET', 'DELETE'], pattern: '/v1/session', access: { kind: 'authenticated' } },

  { methods: ['POST'], pattern: '/v1/integrations/*/connect', access: permission('integrations.connect') },
  { methods: ['POST'], pattern: '/v1/integrations/*/disconnect', access: permission('integrations.disconnect') },
  // These POSTs compute a result from stored data or a provider call and change nothing.
  { methods: ['POST'], pattern: '/v1/integrations/*/sync/preview', access: permission('integrations.read') },
  { methods: ['POST'], pattern: '/v1/integrations/*/field-mappings/preview', access: permission('integrations.read') },
  { methods: ['POST'], pattern: '/v1/integrations/*/test', access: permission('integrations.read') },
  { methods: READ, pattern: '/v1/integrations/**', access: permission('integrations.read') },
  { methods: ['DELETE'], pattern: '/v1/integrations/**', access: permission('integrations.delete') },
  { methods: CHANGE, pattern: '/v1/integrations/**', access: permission('integrations.write') },

  { methods: READ, pattern: '/v1/records/**', access: permission('integrations.read') },
  { methods: CHANGE, pattern: '/v1/records/**', access: permission('integrations.write') },

  { methods: READ, pattern: '/v1/webhooks/**', access: permission('integrations.read') },
  { methods: '*', pattern: '/v1/webhooks/**', access: permission('webhooks.manage') },

  { methods: '*', pattern: '/v1/api-keys/**', access: permission('api_keys.manage') },
  { methods: '*', pattern: '/v1/users/**', access: permission('api_keys.manage') },
  { methods: READ, pattern: '/v1/audit-log/**', access: permission('api_keys.manage') },
];

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Checks whether a path or a route path (`/v1/integrations/:id/connect`) fits a rule pattern. A route's parameters are single segments. */
function matchesPattern(pattern: string[], path: string[]): boolean {
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index];
    if (expected === '**') return true;

    const actual = path[index];
    if (actual === undefined) return false;
    if (expected !== '*' && expected !== actual) return false;
  }
  return pattern.length === path.length;
}

const COMPILED = ROUTE_RULES.map((rule) => ({ ...rule, segments: segmentsOf(rule.pattern) }));

/** Returns what the route needs for this method, or null when no rule covers it, which denies it. */
export function findRouteAccess(method: string, path: string): RouteAccess | null {
  const normalizedMethod = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const segments = segmentsOf(path);

  const rule = COMPILED.find((candidate) => (candidate.methods === '*' || candidate.methods.includes(normalizedMethod)) && matchesPattern(candidate.segments, segments));
  return rule?.access ?? null;
}
