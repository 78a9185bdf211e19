import type { Logger } from '../observability/index.js';
import type { ConnectionObserver } from '../services/pipeline/index.js';
import type { Store } from '../store/index.js';
import { ConnectionDebugSwitch } from './debug-switch.js';
import { ConnectionRequestStats } from './request-stats.js';

/** Per-connection support tools that the request pipeline feeds and the API reads. */
export interface Diagnostics {
  /** Time-limited verbose logging of provider requests. */
  debug: ConnectionDebugSwitch;
  /** Request counts of the last hour in this process. */
  requests: ConnectionRequestStats;
  /** The observer to pass to the shared services. */
  observer: ConnectionObserver;
}

export interface CreateDiagnosticsOptions {
  store: Store;
  logger: Logger;
  now?: () => number;
}

/**
 * Creates the debug switch and request counters of one process, and the observer that feeds
 * them from the shared services.
 *
 * NOTE: the request counters live in each process, so the metrics endpoint counts only the
 * requests of the process that serves it, not those of separate `lumio worker` processes.
 */
export function createDiagnostics(options: CreateDiagnosticsOptions): Diagnostics {
  const debug = new ConnectionDebugSwitch(options);
  const requests = new ConnectionRequestStats(options.now);
  const observer: ConnectionObserver = {
    sent: (connectionId, send) => requests.recordSend(connectionId, send),
    cacheLookup: (connectionId, layer) => requests.recordCacheLookup(connectionId, layer),
    debugLog: (connectionId) => debug.debugLog(connectionId),
  };
  return { debug, requests, observer };
}
