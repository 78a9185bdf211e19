import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import { noopBreakerMetrics, type BreakerMetricLabels, type BreakerMetrics, type BreakerState } from './breaker-metrics.js';
import { buildCircuitOpenError } from './circuit-open-error.js';
import { isProviderFailure } from './provider-failure.js';

export interface BreakerRegistryOptions {
  logger: Logger;
  metrics?: BreakerMetrics;
  /**
   * Failure rate in percent of the requests in the rolling window above which a
   * breaker opens. Opossum 9 opens only when the rate is strictly greater. Default 50.
   */
  errorThresholdPercentage?: number;
  /** Minimum requests in the rolling window before a breaker may open. Default 10. */
  volumeThreshold?: number;
  /** Length of the rolling window of counts, in milliseconds. Default 10000. */
  rollingCountTimeout?: number;
  /** Buckets the rolling window is divided into. Default 10. */
  rollingCountBuckets?: number;
  /** Time in milliseconds an open breaker waits before it lets one probe request through. Default 30000. */
  resetTimeout?: number;
  /** Tests whether an error counts as a failure. Default `isProviderFailure`. */
  isFailure?: (error: unknown) => boolean;
}

/** One breaker per connection and operation group, e.g. an endpoint group of the manifest. */
export interface BreakerKey {
  connectionId: string;
  group: string;
}

export interface BreakerLabels {
  /** Provider display name used in messages, e.g. "HubSpot". */
  connector: string;
  /** Connector id for metrics, e.g. "hubspot". Default: the display name. */
  connectorId?: string;
}

/** State of one breaker, for the health endpoint. */
export interface BreakerSnapshot {
  connectionId: string;
  group: string;
  connector: string;
  state: BreakerState;
  /** Failed requests in the rolling window. */
  failures: number;
  /** Successful requests in the rolling window, including errors that do not count as failures. */
  successes: number;
  /** Requests rejected without being sent in the rolling window. */
  rejects: number;
  /** Time the breaker last opened (ISO 8601), absent while closed. */
  openedAt?: string;
  /** Time the probe request is let through (ISO 8601), absent while closed. */
  nextProbeAt?: string;
}

export interface BreakerRegistry {
  /**
   * Runs `fn` through the breaker of `key`, created on first use. An open breaker
   * rejects without calling `fn`, with `PROVIDER_CIRCUIT_OPEN`. Errors from `fn` pass
   * through unchanged.
   */
  run<T>(key: BreakerKey, labels: BreakerLabels, fn: () => Promise<T>): Promise<T>;
  /** Returns the state of the breaker of `key`; one not used yet is closed. */
  stateOf(key: BreakerKey): BreakerState;
  /** Lists the state of every breaker, or of one connection's breakers. */
  snapshot(connectionId?: string): BreakerSnapshot[];
  /** Shuts down and removes the breakers of a connection, e.g. after it was deleted. */
  remove(connectionId: string): void;
  /** Shuts down every breaker and clears the registry's timers. Later `run` calls reject. */
  shutdown(): void;
}

type Action = () => Promise<unknown>;

interface BreakerEntry {
  key: BreakerKey;
  labels: BreakerMetricLabels;
  breaker: CircuitBreaker<[Action], unknown>;
  state: BreakerState;
  openReason: 'threshold' | 'probeFailed';
  failuresAtOpen: number;
  requestsAtOpen: number;
  openedAt?: number;
  nextProbeAt?: number;
}

const DEFAULTS = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingCountTimeout: 10_000,
  rollingCountBuckets: 10,
  resetTimeout: 30_000,
};

/**
 * Creates the registry of per-connection circuit breakers (opossum 9). Opossum's own
 * timeout is off because the http client has one. Only provider-side failures count
 * (see `isProviderFailure`). Opossum counts a filtered error as a success, so a 400
 * response to a half-open probe closes the breaker, because the provider did respond.
 *
 * NOTE: a request the caller aborts is filtered as well, so an aborted probe also
 * closes the breaker.
 */
export function createBreakerRegistry(options: BreakerRegistryOptions): BreakerRegistry {
  const settings = {
    errorThresholdPercentage: options.errorThresholdPercentage ?? DEFAULTS.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold ?? DEFAULTS.volumeThreshold,
    rollingCountTimeout: options.rollingCountTimeout ?? DEFAULTS.rollingCountTimeout,
    rollingCountBuckets: options.rollingCountBuckets ?? DEFAULTS.rollingCountBuckets,
    resetTimeout: options.resetTimeout ?? DEFAULTS.resetTimeout,
  };
  const isFailure = options.isFailure ?? isProviderFailure;
  const metrics = options.metrics ?? noopBreakerMetrics;
  const entries = new Map<string, BreakerEntry>();
  // The same entries by connection id and group, so a lookup on the request path builds no key.
  const byConnection = new Map<string, Map<string, BreakerEntry>>();
  const rotation = createBucketRotation(Math.max(1, Math.floor(settings.rollingCountTimeout / settings.rollingCountBuckets)));
  let isShutDown = false;

  function getOrCreate(key: BreakerKey, labels: BreakerLabels): BreakerEntry {
    const existing = byConnection.get(key.connectionId)?.get(key.group);
    if (existing) return existing;

    const mapKey = JSON.stringify([key.connectionId, key.group]);
    const breaker = new CircuitBreaker<[Action], unknown>((action) => action(), {
      name: mapKey,
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingCountTimeout,
      rollingCountBuckets: settings.rollingCountBuckets,
      resetTimeout: settings.resetTimeout,
      // Opossum counts an error as a failure unless the filter returns true.
      errorFilter: (error: unknown) => !isFailure(error),
      // Latency percentiles and snapshot events are unused. The shared rotation replaces
      // the two intervals each breaker would otherwise keep.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: rotation.controller,
    });
    const entry: BreakerEntry = {
      key,
      labels: { connector: labels.connector, provider: labels.connectorId ?? labels.connector, connectionId: key.connectionId, group: key.group },
      breaker,
      state: 'closed',
      openReason: 'threshold',
      failuresAtOpen: 0,
      requestsAtOpen: 0,
    };
    watchTransitions(entry);
    entries.set(mapKey, entry);
    let groups = byConnection.get(key.connectionId);
    if (groups === undefined) {
      groups = new Map();
      byConnection.set(key.connectionId, groups);
    }
    groups.set(key.group, entry);
    rotation.start();
    metrics.state(entry.labels, 'closed');
    return entry;
  }

  function watchTransitions(entry: BreakerEntry): void {
    const { breaker, labels } = entry;

    breaker.on('open', () => {
      const from = entry.state;
      const stats = breaker.stats;
      entry.state = 'open';
      entry.openReason = from === 'halfOpen' ? 'probeFailed' : 'threshold';
      entry.failuresAtOpen = stats.failures;
      entry.requestsAtOpen = stats.fires;
      entry.openedAt = Date.now();
      entry.nextProbeAt = entry.openedAt + settings.resetTimeout;
      report(entry, from, 'open');
      options.logger.warn(
        { ...labels, reason: entry.openReason, failures: stats.failures, requests: stats.fires, nextProbeAt: new Date(entry.nextProbeAt).toISOString() },
        'circuit breaker opened; requests to the provider are paused',
      );
    });

    breaker.on('halfOpen', () => {
      const from = entry.state;
      entry.state = 'halfOpen';
      report(entry, from, 'halfOpen');
      options.logger.info(labels, 'circuit breaker half-open; letting one probe request through');
    });

    breaker.on('close', () => {
      const from = entry.state;
      entry.state = 'closed';
      delete entry.openedAt;
      delete entry.nextProbeAt;
      report(entry, from, 'closed');
      options.logger.info(labels, 'circuit breaker closed; requests to the provider resume');
    });
  }

  function report(entry: BreakerEntry, from: BreakerState, to: BreakerState): void {
    metrics.transition(entry.labels, from, to);
    metrics.state(entry.labels, to);
  }

  async function run<T>(key: BreakerKey, labels: BreakerLabels, fn: () => Promise<T>): Promise<T> {
    if (isShutDown) throw buildShutDownError(labels.connector);

    const entry = getOrCreate(key, labels);
    try {
      return (await entry.breaker.fire(fn)) as T;
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) throw translateBreakerError(entry, error);
      throw error;
    }
  }

  function stateOf(key: BreakerKey): BreakerState {
    return byConnection.get(key.connectionId)?.get(key.group)?.state ?? 'closed';
  }

  function snapshot(connectionId?: string): BreakerSnapshot[] {
    const result: BreakerSnapshot[] = [];
    for (const entry of entries.values()) {
      if (connectionId !== undefined && entry.key.connectionId !== connectionId) continue;

      const stats = entry.breaker.stats;
      const item: BreakerSnapshot = {
        connectionId: entry.key.connectionId,
        group: entry.key.group,
        connector: entry.labels.connector,
        state: entry.state,
        failures: stats.failures,
        successes: stats.successes,
        rejects: stats.rejects,
      };
      if (entry.openedAt !== undefined) item.openedAt = new Date(entry.openedAt).toISOString();
      if (entry.nextProbeAt !== undefined) item.nextProbeAt = new Date(entry.nextProbeAt).toISOString();
      result.push(item);
    }
    return result;
  }

  function remove(connectionId: string): void {
    for (const [mapKey, entry] of entries) {
      if (entry.key.connectionId !== connectionId) continue;
      entry.breaker.shutdown();
      entries.delete(mapKey);
    }
    byConnection.delete(connectionId);
    if (entries.size === 0) rotation.stop();
  }

  function shutdown(): void {
    isShutDown = true;
    for (const entry of entries.values()) entry.breaker.shutdown();
    entries.clear();
    byConnection.clear();
    rotation.stop();
  }

  return { run, stateOf, snapshot, remove, shutdown };
}

/**
 * Creates one interval that rotates the count buckets of every breaker, through opossum's
 * `rotateBucketController` option (opossum listens for its "rotate" event). The timer
 * is unref'd, so it never keeps the process alive, and stops when no breaker is left.
 */
function createBucketRotation(bucketMs: number) {
  const controller = new EventEmitter();
  // Every breaker adds one listener, and there may be one breaker per connection and group.
  controller.setMaxListeners(0);
  let timer: NodeJS.Timeout | undefined;

  return {
    controller,
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => controller.emit('rotate'), bucketMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Translates opossum's own rejections. With these options they are only `ESHUTDOWN` and `EOPENBREAKER`. */
function translateBreakerError(entry: BreakerEntry, error: Error): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 'ESHUTDOWN') return buildShutDownError(entry.labels.connector, error);
  if (code !== 'EOPENBREAKER') return error;

  const openedAt = entry.openedAt ?? Date.now();
  return buildCircuitOpenError({
    connector: entry.labels.connector,
    connectionId: entry.key.connectionId,
    group: entry.key.group,
    state: entry.state === 'halfOpen' ? 'halfOpen' : 'open',
    openReason: entry.openReason,
    failures: entry.failuresAtOpen,
    requests: entry.requestsAtOpen,
    openedAt: new Date(openedAt),
    nextProbeAt: new Date(entry.nextProbeAt ?? openedAt),
  });
}

function buildShutDownError(connector: string, cause?: unknown): LumioError {
  return new LumioError(
    'CIRCUIT_BREAKER_SHUT_DOWN',
    `The request to ${connector} was rejected because the circuit breakers are shut down, which happens only while the platform stops.`,
    { status: 503, fault: 'platform', cause },
  );
}
