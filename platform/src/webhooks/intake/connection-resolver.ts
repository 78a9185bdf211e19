import type { WebhookDefinition } from '@lumio/plugin-sdk';

import type { Connection, Store } from '../../store/index.js';

/** How long a resolved connection is reused; a disconnect is seen by this process within it. */
const CACHE_TTL_MS = 5_000;
const MAX_CACHED_TOKENS = 10_000;

/**
 * Finds the connection a delivery belongs to: by the unguessable token in its URL, or, for
 * providers that send every account's events to one URL, by a payload value matched against
 * a connection setting.
 */
export class ConnectionResolver {
  readonly #store: Store;
  readonly #byToken = new Map<string, { connection: Connection | null; expiresAt: number }>();
  readonly #byConnector = new Map<string, { connections: Connection[]; expiresAt: number }>();

  constructor(store: Store) {
    this.#store = store;
  }

  async byToken(token: string): Promise<Connection | null> {
    const now = Date.now();
    const cached = this.#byToken.get(token);
    if (cached && cached.expiresAt > now) return cached.connection;

    const connection = await this.#store.connections.findByWebhookToken(token);
    // Unknown tokens are cached too, so a scan of random URLs costs one query per token at most.
    if (this.#byToken.size >= MAX_CACHED_TOKENS) this.#byToken.clear();
    this.#byToken.set(token, { connection, expiresAt: now + CACHE_TTL_MS });
    return connection;
  }

  /**
   * Returns the connections of a connector whose `configField` setting equals `value`.
   * NOTE: it filters the connector's connections in memory, which suits hundreds of
   * connections per connector; more would need an indexed column for the lookup value.
   * OAuth `connectionFields` are not consulted, only the connection's config.
   */
  async byLookupValue(connectorId: string, lookup: NonNullable<WebhookDefinition['connectionLookup']>, value: string): Promise<Connection[]> {
    const now = Date.now();
    let cached = this.#byConnector.get(connectorId);
    if (!cached || cached.expiresAt <= now) {
      cached = { connections: await this.#store.connections.findAllByConnector(connectorId), expiresAt: now + CACHE_TTL_MS };
      this.#byConnector.set(connectorId, cached);
    }
    return cached.connections.filter((connection) => connection.status !== 'disconnected' && lookupValueOf(connection, lookup.configField) === value);
  }

  /** Drops cached entries, so a connect or disconnect made in this process applies at once. */
  forget(): void {
    this.#byToken.clear();
    this.#byConnector.clear();
  }
}

/** Returns the connection's lookup value as text, so `123` in a payload matches "123" in config. */
export function lookupValueOf(connection: Connection, configField: string): string | undefined {
  const value = connection.config[configField];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
