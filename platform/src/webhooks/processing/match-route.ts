import type { WebhookRoute } from '@lumio/plugin-sdk';

/**
 * Returns the first route whose event type matches: an exact type, a prefix ending in
 * "*" (such as "contact.*"), or "*" for every event.
 */
export function matchRoute(routes: readonly WebhookRoute[] | undefined, eventType: string | null): WebhookRoute | undefined {
  if (!routes || eventType === null) return undefined;

  return routes.find((route) => {
    if (!route.eventType.endsWith('*')) return route.eventType === eventType;
    return eventType.startsWith(route.eventType.slice(0, -1));
  });
}
