import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { LumioError } from '../../../platform/src/errors/index.js';
import { BodyTooLargeError, readRequestBody, RequestLog, sendJson } from '../shared/index.js';
import { handleApiRequest } from './api-router.js';
import type { ApiRuntime } from './api-router.js';
import { CONTROL_PREFIX, handleControlRequest } from './control-routes.js';
import type { ControlTarget } from './control-routes.js';
import { parseDatetime } from './datetime.js';
import { errorBody } from './errors.js';
import type { RateLimitPolicy } from './errors.js';
import { FaultQueue } from './faults.js';
import type { ObjectTypeName } from './object-types.js';
import { createPublicStore } from './public-store.js';
import type { HubSpotStore } from './public-store.js';
import { RateLimiter } from './rate-limiter.js';
import type { HubSpotRateLimitOptions } from './rate-limiter.js';
import { RecordStore } from './record-store.js';
import { SEARCH_LIMITS, SearchCache } from './search.js';
import type { SearchLimits } from './search.js';
import { seedStore } from './seed-data.js';
import type { HubSpotSeedOptions, SeedSummary } from './seed-data.js';

export interface HubSpotSimulatorOptions {
  /** Bearer tokens the API accepts. Default ["test-token"]. */
  tokens?: readonly string[];
  /** Tokens that get HubSpot's 401 EXPIRED_AUTHENTICATION, for token refresh tests. Default none. */
  expiredTokens?: readonly string[];
  /** Seeded data made at creation. Without it the simulated account starts empty. */
  seed?: HubSpotSeedOptions;
  /** Rate limits, by default HubSpot's Free/Starter private-app limits. False turns them off, for benchmarks. */
  rateLimit?: HubSpotRateLimitOptions | false;
  /** Serve the `/__simulator/` control API. Default false. */
  controlApi?: boolean;
  /** Account id shown in validation and rate-limit bodies. Default 12345678. */
  portalId?: number;
  /** Source of the current time in epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Extra unique-value properties per object type, usable as `idProperty` (contacts always have `email`). */
  uniqueProperties?: Partial<Record<ObjectTypeName, readonly string[]>>;
  /** The request log keeps at most this many entries, dropping the oldest. Default 10,000. */
  maxLoggedRequests?: number;
  /** Overrides of HubSpot's search limits (filter counts, page size, the 10,000-result window). */
  searchLimits?: Partial<SearchLimits>;
}

export interface HubSpotStartOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
}

export interface RunningHubSpotSimulator {
  /** Base URL to pass as the SDK's `basePath`, e.g. "http://127.0.0.1:40123". */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HubSpotSimulator {
  start(options?: HubSpotStartOptions): Promise<RunningHubSpotSimulator>;
  /** Base URL while started, otherwise undefined. */
  readonly url: string | undefined;
  readonly store: HubSpotStore;
  readonly requests: RequestLog;
  /** What the last seeding made, or undefined when the account was never seeded. */
  readonly seedSummary: SeedSummary | undefined;
  now(): number;
  /**
   * Sets the clock used for new timestamps, batch times and rate-limit windows: a
   * function, a fixed instant (epoch ms or ISO 8601), or null for the real time.
   */
  setClock(clock: (() => number) | number | string | null): void;
  setTokens(valid: readonly string[], expired?: readonly string[]): void;
  /** The next `count` API requests get `status` and `body` (a HubSpot-shaped error body when omitted). */
  failNext(count: number, status: number, body?: unknown): void;
  /** The next `count` API requests get HubSpot's 429 for `policy` (default TEN_SECONDLY_ROLLING). */
  rateLimitNext(count: number, policy?: RateLimitPolicy): void;
  /** Delays API responses by `delayMs`: the next `count`, or all until changed when `count` is omitted. */
  setResponseDelay(delayMs: number, count?: number): void;
  clearFaults(): void;
  resetRateLimits(): void;
  /** Reseeds (with `seed`, or the last seed options) and clears the request log, faults and rate counters. */
  reset(seed?: HubSpotSeedOptions): SeedSummary;
  /** Stops the server if started. */
  close(): Promise<void>;
}

function fixedClock(instant: number | string): () => number {
  const epochMs = parseDatetime(instant);
  if (epochMs === undefined) {
    throw new LumioError('SIMULATOR_INVALID_CLOCK', `The clock value "${instant}" is not epoch milliseconds or ISO 8601; pass one of those.`, {
      status: 400,
      fault: 'caller',
    });
  }
  return () => epochMs;
}

function emptySummary(): SeedSummary {
  const empty = { active: 0, archived: 0, tiedLastModified: null, idRange: null };
  return { seed: 0, objects: { contacts: { ...empty }, companies: { ...empty }, deals: { ...empty } } };
}

/** Creates a HubSpot CRM v3 simulator. Call `start` to serve it over HTTP. */
export function createHubSpotSimulator(options: HubSpotSimulatorOptions = {}): HubSpotSimulator {
  let clock: () => number = options.clock ?? Date.now;
  const now = (): number => clock();
  const portalId = options.portalId ?? 12_345_678;

  const recordStore = new RecordStore(now, options.uniqueProperties);
  const store = createPublicStore(recordStore);
  const requests = new RequestLog(options.maxLoggedRequests ?? 10_000);
  const faults = new FaultQueue(() => portalId);
  const searchCache = new SearchCache();
  const rateLimiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? {});
  const validTokens = new Set(options.tokens ?? ['test-token']);
  const expiredTokens = new Set(options.expiredTokens ?? []);

  let seedOptions = options.seed;
  let seedSummary = seedOptions === undefined ? undefined : seedStore(recordStore, seedOptions);
  let server: Server | undefined;
  let url: string | undefined;

  const runtime: ApiRuntime = {
    store: recordStore,
    faults,
    rateLimiter,
    validTokens,
    expiredTokens,
    requests,
    searchCache,
    searchLimits: { ...SEARCH_LIMITS, ...options.searchLimits },
    portalId,
    now,
  };

  const simulator: HubSpotSimulator = {
    get url() {
      return url;
    },
    store,
    requests,
    get seedSummary() {
      return seedSummary;
    },
    now,
    setClock(next) {
      if (next === null) {
        clock = Date.now;
      } else if (typeof next === 'function') {
        clock = next;
      } else {
        clock = fixedClock(next);
      }
    },
    setTokens(valid, expired = []) {
      validTokens.clear();
      expiredTokens.clear();
      valid.forEach((token) => validTokens.add(token));
      expired.forEach((token) => expiredTokens.add(token));
    },
    failNext: (count, status, body) => faults.failNext(count, status, body),
    rateLimitNext: (count, policy) => faults.rateLimitNext(count, policy),
    setResponseDelay: (delayMs, count) => faults.setDelay(delayMs, count),
    clearFaults: () => faults.clear(),
    resetRateLimits: () => rateLimiter?.reset(),
    reset(seed) {
      if (seed !== undefined) {
        seedOptions = seed;
      }
      if (seedOptions === undefined) {
        recordStore.clear();
        seedSummary = undefined;
      } else {
        seedSummary = seedStore(recordStore, seedOptions);
      }
      searchCache.clear();
      requests.reset();
      faults.clear();
      rateLimiter?.reset();
      return seedSummary ?? emptySummary();
    },

    async start(startOptions = {}) {
      if (server !== undefined) {
        throw new LumioError('SIMULATOR_ALREADY_STARTED', `The HubSpot simulator is already listening at ${url}; close it before starting again.`, {
          fault: 'caller',
        });
      }

      const host = startOptions.host ?? '127.0.0.1';
      const control: ControlTarget = {
        store,
        requests,
        faults,
        reset: (seed) => simulator.reset(seed),
        setClock: (instant) => simulator.setClock(instant),
        setTokens: (valid, expired) => simulator.setTokens(valid, expired),
        resetRateLimits: () => simulator.resetRateLimits(),
        now,
        seedSummary: () => seedSummary,
      };

      const created = createServer((request, response) => {
        void (async () => {
          const requestUrl = new URL(request.url ?? '/', 'http://simulator.invalid');
          let bodyText: string;
          try {
            bodyText = await readRequestBody(request);
          } catch (error) {
            if (error instanceof BodyTooLargeError) {
              sendJson(response, 413, errorBody(error.message));
              return;
            }
            throw error;
          }

          if (options.controlApi === true && requestUrl.pathname.startsWith(CONTROL_PREFIX)) {
            handleControlRequest(control, request, response, requestUrl, bodyText);
            return;
          }
          await handleApiRequest(runtime, request, response, requestUrl, bodyText);
        })().catch((error: unknown) => {
          console.error('HubSpot simulator: request failed', error);
          if (!response.headersSent) {
            sendJson(response, 500, errorBody('internal error', { category: 'INTERNAL_ERROR' }));
          } else {
            response.destroy();
          }
        });
      });

      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(startOptions.port ?? 0, host, () => {
          created.off('error', reject);
          resolve();
        });
      });

      const address = created.address() as AddressInfo;
      server = created;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      return { url, port: address.port, close: () => simulator.close() };
    },

    async close() {
      const running = server;
      if (running === undefined) {
        return;
      }
      server = undefined;
      url = undefined;
      await new Promise<void>((resolve, reject) => {
        running.close((error) => (error === undefined ? resolve() : reject(error)));
        running.closeAllConnections();
      });
    },
  };

  return simulator;
}
