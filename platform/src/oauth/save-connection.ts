import type { ConnectorManifest } from '@lumio/plugin-sdk';

import { ensureDefaultMappings } from '../connections/index.js';
import { recordIntegrationConnected } from '../events/index.js';
import type { Connection } from '../store/index.js';
import type { OAuthFlowOptions } from './flow-options.js';
import type { OAuthStateSecrets } from './oauth-state-secrets.js';

export interface SaveConnectionInput {
  manifest: ConnectorManifest;
  workspaceId: string;
  connectorId: string;
  name: string;
  /** The connection the flow reconnects, found again by id; null to create one (or reconnect by name). */
  connectionId: string | null;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  webhook: OAuthStateSecrets['webhook'];
}

/**
 * Creates or updates the connection with its config and encrypted tokens, adds the
 * manifest's default mappings it lacks, applies webhook settings and records
 * `integration.connected`, as the ordinary connect does. Returns the connection and
 * whether it existed before.
 */
export async function saveAuthorizedConnection(options: OAuthFlowOptions, input: SaveConnectionInput): Promise<{ connection: Connection; reconnected: boolean }> {
  const { store, cipher, logger, webhooks } = options;
  const existing = await findExisting(options, input);

  const fields = { config: input.config, authMethod: 'oauth2AuthorizationCode', status: 'connected' as const };
  const connection = existing
    ? ((await store.connections.update(existing.id, fields)) ?? existing)
    : await store.connections.create({ workspaceId: input.workspaceId, connectorId: input.connectorId, name: input.name, ...fields });

  await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, input.credentials));
  await ensureDefaultMappings(options.store, connection, input.manifest);

  const webhook = input.webhook;
  if (webhook && (webhook.secrets !== undefined || webhook.allowedIps !== undefined || webhook.verifyToken !== undefined)) {
    await webhooks.settings.update(connection.id, webhook);
  }
  webhooks.resolver.forget();

  logger.info({ workspaceId: connection.workspaceId, connectionId: connection.id, connectorId: connection.connectorId, authMethod: connection.authMethod }, 'connection saved');
  await recordIntegrationConnected(store, logger, connection, existing !== null);
  return { connection, reconnected: existing !== null };
}

async function findExisting(options: OAuthFlowOptions, input: SaveConnectionInput): Promise<Connection | null> {
  const { store } = options;
  if (input.connectionId !== null) {
    const connection = await store.connections.get(input.connectionId);
    if (connection && connection.workspaceId === input.workspaceId) return connection;
  }
  const byName = (await store.connections.findByConnector(input.workspaceId, input.connectorId)).find((connection) => connection.name === input.name);
  return byName ?? null;
}
