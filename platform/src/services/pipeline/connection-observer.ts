import type { RequestDebugLog } from '../../runtime/index.js';
import type { CacheLayer } from '../cache/index.js';
import type { ProviderSend } from './request-metrics.js';

/**
 * Receives what the request pipeline does for each connection: the per-connection request
 * counts that Prometheus labels cannot carry, and debug logging switched on for one
 * connection. Every method is called on the request path, so none may wait on I/O for long.
 */
export interface ConnectionObserver {
  /** Receives every HTTP send of a connection's requests, retries included. */
  sent(connectionId: string, send: ProviderSend): void;
  /** Receives the layer that served each cached read: `l1`, `l2`, or `miss` when the provider was asked. */
  cacheLookup(connectionId: string, layer: CacheLayer): void;
  /** Returns the connection's debug log while debug logging is on for it, else null. Never rejects. */
  debugLog(connectionId: string): Promise<RequestDebugLog | null>;
}
