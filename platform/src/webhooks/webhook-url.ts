import type { ConnectorManifest } from '@lumio/plugin-sdk';

import type { Connection } from '../store/index.js';

/**
 * Returns the URL to register at the provider for a connection, or null when the connector
 * receives no webhooks. Providers with a payload lookup may use the connector-wide URL
 * instead (`/webhooks/{connector}`); the per-connection one works for them too.
 */
export function webhookUrlFor(publicUrl: string, manifest: ConnectorManifest, connection: Connection): string | null {
  if (!manifest.webhooks) return null;
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/${encodeURIComponent(manifest.id)}/${connection.webhookToken}`;
}
