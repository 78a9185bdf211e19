import { createHash } from 'node:crypto';

import type { AuthMethod, ConnectorManifest } from '@lumio/plugin-sdk';

import type { ConnectorRegistry, LoadedConnector } from '../connectors/index.js';
import { LumioError } from '../errors/index.js';
import { recordIntegrationConnected, recordIntegrationDisconnected } from '../events/index.js';
import type { HttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import { selectAuthMethod } from '../auth/index.js';
import { testConnection, type ConnectorContext, type RequestServices } from '../runtime/index.js';
import { createRetryBudget } from '../services/retry/index.js';
import { isOAuthMethod } from '../services/token-refresh/index.js';
import type { CredentialCipher } from '../security/index.js';
import type { Connection, ConnectionPatch, Store } from '../store/index.js';
import { checkConnectionConfig } from './config-check.js';
import { ensureDefaultMappings } from './default-mappings.js';

/** Name given to a workspace's connection to a connector when the caller names none. */
export const DEFAULT_CONNECTION_NAME = 'default';

export interface ConnectRequest {
  credentials: Record<string, string>;
  config?: unknown;
  /** Tells several connections to one connector apart within a workspace. */
  name?: string;
  /** Picks one of the manifest's auth methods by `type`; the first that fits the credentials otherwise. */
  authMethod?: string;
  /** Whether to call the provider once before saving. Default true. */
  test?: boolean;
}

export interface ConnectionServiceOptions {
  store: Store;
  registry: ConnectorRegistry;
  cipher: CredentialCipher;
  http: HttpClient;
  /** Shared request services (rate limits, retry, breaker, cache); without them each request is sent once. */
  services?: RequestServices;
  /**
   * Step that gives a context its plugin's request hooks (`buildRequest`, `paginate`). Every
   * context built here passes through it, so a plugin that signs requests signs them all.
   */
  attachPluginHooks?: (connector: LoadedConnector, context: ConnectorContext) => Promise<void>;
  logger: Logger;
}

/** Connects, resolves and opens connections: the one place that decrypts credentials. */
export class ConnectionService {
  readonly #options: ConnectionServiceOptions;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
  }

  /**
   * Creates or replaces a workspace's connection to a connector. The credentials are tested
   * against the provider first (unless `test` is false), so a wrong token is reported now
   * rather than at the first sync, and nothing is saved when the test fails.
   */
  async connect(workspaceId: string, connectorId: string, request: ConnectRequest): Promise<Connection> {
    const { store, cipher, logger } = this.#options;
    const connector = this.requireConnector(connectorId);
    const manifest = connector.manifest;

    const credentials = checkCredentials(request.credentials);
    const config = checkConnectionConfig(manifest, request.config);
    const authMethod = selectAuthMethod(manifest, credentials, request.authMethod);
    const name = request.name ?? DEFAULT_CONNECTION_NAME;

    if (request.test !== false && manifest.connection.test) {
      // The connection has no id yet, so the test's budgets and breaker are keyed by the connector.
      // A person waits on this call, so the test retries once at most instead of backing off for seconds.
      const context = { ...this.buildContext(manifest, config, credentials, authMethod.type, `new:${connectorId}`), priority: 'interactive' as const, retryBudget: createRetryBudget(1) };
      await this.#options.attachPluginHooks?.(connector, context);
      const result = await testConnection(context);
      if (!result.ok) {
        const message = result.status === null
          ? `The connection test could not reach ${manifest.name}: ${result.message}`
          : `The connection test failed: ${result.message}`;
        throw new LumioError('CONNECTION_TEST_FAILED', message, {
          status: 422,
          fault: 'caller',
          details: { providerStatus: result.status, reason: result.code },
        });
      }
    }

    const existing = (await store.connections.findByConnector(workspaceId, connectorId)).find((c) => c.name === name);
    const connection = existing
      ? await this.update(existing.id, { config, authMethod: authMethod.type, status: 'connected' })
      : await store.connections.create({ workspaceId, connectorId, name, config, authMethod: authMethod.type, status: 'connected' });

    await store.credentials.saveEncrypted(connection.id, cipher.encrypt(connection.id, credentials));
    await ensureDefaultMappings(store, connection, manifest);

    logger.info({ workspaceId, connectionId: connection.id, connectorId, authMethod: authMethod.type }, 'connection saved');
    await recordIntegrationConnected(store, logger, connection, existing !== undefined);
    return connection;
  }

  /** Marks a connection disconnected and deletes its stored credentials. Records are kept. */
  async disconnect(connection: Connection): Promise<Connection> {
    const { store, logger } = this.#options;
    await store.credentials.delete(connection.id);
    const updated = await this.update(connection.id, { status: 'disconnected' });
    logger.info({ workspaceId: connection.workspaceId, connectionId: connection.id }, 'connection disconnected');
    await recordIntegrationDisconnected(store, logger, updated);
    return updated;
  }

  /**
   * Finds the connection an API path names: a connection id (`conn_…`), or a connector id
   * when the workspace has one connection to it (or one named "default").
   */
  async resolve(workspaceId: string, idOrConnector: string): Promise<Connection> {
    const { store } = this.#options;

    if (idOrConnector.startsWith('conn_')) {
      const connection = await store.connections.get(idOrConnector);
      if (connection && connection.workspaceId === workspaceId) return connection;
      throw notFound(idOrConnector);
    }

    const candidates = await store.connections.findByConnector(workspaceId, idOrConnector);
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    const named = candidates.find((c) => c.name === DEFAULT_CONNECTION_NAME);
    if (named) return named;
    if (candidates.length === 0 && !this.#options.registry.get(idOrConnector) && !this.#options.registry.findRejected(idOrConnector)) {
      throw new LumioError('CONNECTOR_NOT_FOUND', `No connector named ${idOrConnector} is installed; GET /v1/integrations lists the installed ones.`, { status: 404, fault: 'caller' });
    }
    // Without a connection, the invalid connector's own error helps more than "connect it first", because connecting would fail.
    if (candidates.length === 0 && this.#options.registry.findRejected(idOrConnector)) this.requireConnector(idOrConnector);
    if (candidates.length > 1) {
      throw new LumioError('CONNECTION_AMBIGUOUS', `This workspace has ${candidates.length} ${idOrConnector} connections; use a connection id instead: ${candidates.map((c) => c.id).join(', ')}.`, {
        status: 409,
        fault: 'caller',
      });
    }
    throw notFound(idOrConnector);
  }

  /** Builds what the runtime needs to call the provider for a connection. */
  async open(connection: Connection): Promise<{ connector: LoadedConnector; context: ConnectorContext }> {
    const { store, cipher } = this.#options;
    const connector = this.requireConnector(connection.connectorId);

    if (connection.status === 'disconnected') {
      throw new LumioError('CONNECTION_DISCONNECTED', `Connection ${connection.id} is disconnected; connect it again before syncing.`, { status: 409, fault: 'caller' });
    }

    const envelope = await store.credentials.getEncrypted(connection.id);
    if (!envelope) {
      throw new LumioError('CREDENTIALS_MISSING', `Connection ${connection.id} has no stored credentials; connect it again.`, { status: 409, fault: 'caller' });
    }
    const credentials = cipher.decrypt(connection.id, envelope) as Record<string, string>;

    const context = this.buildContext(connector.manifest, connection.config, credentials, connection.authMethod, connection.id);
    await this.#options.attachPluginHooks?.(connector, context);
    return { connector, context };
  }

  /**
   * Drops the connection's cached provider reads of an object, in every cache layer, after
   * something other than a request through the shared services changed it (a webhook event).
   * It does nothing when the connector caches no reads of the object.
   */
  async invalidateCachedReads(connection: Connection, object: string): Promise<void> {
    const connector = this.requireConnector(connection.connectorId);
    await this.#options.services?.invalidate?.(connector.manifest, connection.id, object);
  }

  private async update(id: string, patch: ConnectionPatch): Promise<Connection> {
    const updated = await this.#options.store.connections.update(id, patch);
    if (!updated) throw notFound(id);
    return updated;
  }

  requireConnector(connectorId: string): LoadedConnector {
    const { registry } = this.#options;
    const connector = registry.get(connectorId);
    if (connector) return connector;

    const rejected = registry.findRejected(connectorId);
    if (rejected) {
      throw new LumioError('CONNECTOR_INVALID', `Connector ${connectorId} is not loaded because its manifest is invalid; run \`npx lumio-connector validate ${rejected.directory}\` to see why.`, {
        status: 409,
        fault: 'connector',
      });
    }
    throw new LumioError('CONNECTOR_NOT_FOUND', `No connector named ${connectorId} is installed; GET /v1/integrations lists the installed ones.`, { status: 404, fault: 'caller' });
  }

  private buildContext(manifest: ConnectorManifest, config: Record<string, unknown>, credentials: Record<string, string>, authType: string, connectionId: string): ConnectorContext {
    const { http, logger, services } = this.#options;
    const authMethod = selectAuthMethod(manifest, credentials, authType);
    const baseUrl = typeof config.baseUrl === 'string' ? config.baseUrl : undefined;
    const accountKey = deriveAccountKey(manifest.id, authMethod, credentials);
    return { manifest, config, credentials, authMethod, http, logger, baseUrl, connectionId, ...(accountKey ? { accountKey } : {}), ...(services ? { services } : {}) };
  }

}

/**
 * Keys "account" rate-limit budgets by a hash of the credentials: providers such as HubSpot
 * count requests per token, so a connection test, later syncs and a second connection with
 * the same token all draw on one budget. The hash never leaves the process's limiter keys.
 * OAuth connections get none, so their budgets are keyed by the connection id: a refresh
 * replaces the access token, and a key that changed with it would split one budget in two.
 */
function deriveAccountKey(connectorId: string, method: AuthMethod, credentials: Record<string, string>): string | undefined {
  if (isOAuthMethod(method)) return undefined;

  const material = JSON.stringify(Object.entries(credentials).sort(([a], [b]) => a.localeCompare(b)));
  return `${connectorId}:${createHash('sha256').update(material).digest('hex').slice(0, 24)}`;
}

function checkCredentials(input: unknown): Record<string, string> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new LumioError('CREDENTIALS_INVALID', 'credentials must be a JSON object of names to strings, such as {"accessToken": "…"}.', { status: 400, fault: 'caller', details: { field: 'credentials' } });
  }
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new LumioError('CREDENTIALS_INVALID', `credentials.${key} must be a non-empty string.`, { status: 400, fault: 'caller', details: { field: `credentials.${key}` } });
    }
  }
  return input as Record<string, string>;
}

function notFound(id: string): LumioError {
  return new LumioError('INTEGRATION_NOT_FOUND', `This workspace has no connection named ${id}; connect it first with POST /v1/integrations/${id}/connect.`, { status: 404, fault: 'caller' });
}
