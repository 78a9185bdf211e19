import type { Redis } from 'ioredis';
import { LumioError } from '../../errors/index.js';
import type { HttpResponse } from '../../http/index.js';
import { cacheKey, connectionKeyPrefix } from './cache-key.js';
import { discardedCacheMetrics, type CacheMetricLabels } from './cache-metrics.js';
import type { CacheInvalidation, CacheKey, CacheLayer, CacheLoadOptions, CacheLookupResult, ResponseCache, ResponseCacheOptions } from './cache-types.js';
import { isCacheable, isStorable } from './cacheable.js';
import { createCachedResponse, parseCachedResponse, type CachedResponse } from './cached-response.js';
import { createLocalGenerationStore, type GenerationStore } from './generation-store.js';
import { createL2Writer } from './l2-writes.js';
import { LruCache } from './lru-cache.js';
import { isRedisUnavailable } from './redis-status.js';
import { createRedisGenerationStore } from './redis-generation-store.js';
import { createSingleFlight } from './single-flight.js';
import { createWarningLimiter } from '../../observability/index.js';
import { withTimeout } from './with-timeout.js';

const DEFAULT_L1_MAX_ITEMS = 500;
const DEFAULT_L1_TTL_MS = 15 * 60_000;
const DEFAULT_L2_TTL_MS = 30 * 60_000;
const DEFAULT_L2_TIMEOUT_MS = 250;
const DEFAULT_GENERATION_REFRESH_MS = 10_000;

/** Min time between two logged warnings of one kind, in milliseconds. */
const WARNING_INTERVAL_MS = 30_000;

interface CacheSettings {
  keyPrefix: string;
  l1MaxItems: number;
  l1TtlMs: number;
  l2TtlMs: number;
  l2TimeoutMs: number;
  generationRefreshMs: number;
}

interface EntryTtls {
  l1: number;
  l2: number;
}

/**
 * Creates the shared cache of provider responses.
 *
 * L1 is an LRU in process memory and L2 is Redis, shared by every process. L3 is the record
 * store: a caller that can find the record a read requests passes `readL3`, and a stored
 * record younger than the time to live serves the read without a provider request.
 *
 * Concurrent misses for one key within a process share one `load`. Across processes two
 * loads of one key can race: both send the same GET and both write the entry, and the
 * later write wins. That costs one extra provider read and is acceptable because only
 * safe, idempotent reads are cached, so both writes store an equivalent response.
 *
 * A Redis failure (refused, disconnected, or slower than `l2TimeoutMs`) never fails a
 * lookup or an invalidation. It logs a warning and the request goes to the provider
 * without the cache. A failed record store read does the same. Invalid arguments and
 * errors from `load` still reject. Warnings are rate-limited to one line per 30 seconds for
 * L2 reads and writes, one for record store reads and one for invalidations.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const settings = resolveSettings(options);
  const { redis, logger } = options;
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? discardedCacheMetrics;
  const warnL2 = createWarningLimiter({ logger, intervalMs: WARNING_INTERVAL_MS, now });
  const warnInvalidation = createWarningLimiter({ logger, intervalMs: WARNING_INTERVAL_MS, now });
  const warnL3 = createWarningLimiter({ logger, intervalMs: WARNING_INTERVAL_MS, now });
  const l1 = new LruCache<CachedResponse>({ maxItems: settings.l1MaxItems, now });
  const flights = createSingleFlight<CacheLookupResult>();
  const generations: GenerationStore = redis
    ? createRedisGenerationStore({
        redis,
        keyPrefix: settings.keyPrefix,
        timeoutMs: settings.l2TimeoutMs,
        refreshMs: settings.generationRefreshMs,
        logger,
        warn: warnL2,
        now,
      })
    : createLocalGenerationStore();
  const l2Writer = redis ? createL2Writer({ redis, timeoutMs: settings.l2TimeoutMs, warn: warnL2 }) : undefined;
  let closed = false;

  async function getOrLoad(key: CacheKey, ttlMs: number | undefined, load: () => Promise<HttpResponse>, options?: CacheLoadOptions): Promise<CacheLookupResult> {
    validateTtl(ttlMs);
    if (closed || ttlMs === 0 || !isCacheable(key)) return { response: await load(), layer: 'miss' };

    const labels: CacheMetricLabels = { provider: key.provider ?? 'unknown' };
    const requestKey = cacheKey(key);
    const current = generations.peek(key.connectionId, key.object) ?? (await generations.read(key.connectionId, key.object));
    if (current === undefined) {
      countMisses(labels);
      return { response: await load(), layer: 'miss' };
    }

    const entryKey = `${settings.keyPrefix}response:${requestKey}:${current.connection}.${current.object}`;
    if (options?.refresh === true) return { response: keep(entryKey, await load(), resolveTtls(ttlMs)), layer: 'miss' };

    const cached = l1.get(entryKey);
    if (cached !== undefined) {
      metrics.hit('l1', labels);
      return { response: cached.response, layer: 'l1' };
    }

    metrics.miss('l1', labels);
    let result: CacheLookupResult;
    try {
      // NOTE: callers that join a running load share its outcome, so if the first caller's
      // request is aborted through its signal, the joined callers receive that abort too.
      result = await flights.run(entryKey, () => loadThroughLayers(entryKey, resolveTtls(ttlMs), load, options));
    } catch (error) {
      if (redis) metrics.miss('l2', labels);
      if (options?.readL3) metrics.miss('l3', labels);
      throw error;
    }

    countLayers(result.layer, labels, options?.readL3 !== undefined);
    return { response: result.response, layer: result.layer };
  }

  /** Counts a lookup that missed L1 as a hit or a miss in each later layer it tried. */
  function countLayers(layer: CacheLayer, labels: CacheMetricLabels, triedL3: boolean): void {
    if (redis && layer === 'l2') metrics.hit('l2', labels);
    else if (redis) metrics.miss('l2', labels);

    if (layer === 'l3') metrics.hit('l3', labels);
    else if (triedL3 && layer === 'miss') metrics.miss('l3', labels);
  }

  function countMisses(labels: CacheMetricLabels): void {
    metrics.miss('l1', labels);
    if (redis) metrics.miss('l2', labels);
  }

  function resolveTtls(ttlMs: number | undefined): EntryTtls {
    if (ttlMs !== undefined) return { l1: ttlMs, l2: ttlMs };
    return { l1: settings.l1TtlMs, l2: settings.l2TtlMs };
  }

  async function loadThroughLayers(entryKey: string, ttls: EntryTtls, load: () => Promise<HttpResponse>, options: CacheLoadOptions | undefined): Promise<CacheLookupResult> {
    if (redis) {
      const stored = await readL2(redis, entryKey, options?.readL2);
      if (stored !== undefined) {
        // An L1 copy must not outlive the L2 entry, whose time to live the writer chose.
        if (!closed) l1.set(entryKey, stored, Math.min(ttls.l1, stored.expiresAt - now()));
        return { response: stored.response, layer: 'l2' };
      }
    }

    const copy = options?.readL3 ? await readL3(options.readL3, ttls) : undefined;
    if (copy !== undefined) return { response: keep(entryKey, copy.response, copy.ttls), layer: 'l3' };

    const response = await load();
    return { response: keep(entryKey, response, ttls), layer: 'miss' };
  }

  /** Stores a storable response in L1 and L2 and returns the frozen copy callers share. */
  function keep(entryKey: string, response: HttpResponse, ttls: EntryTtls): HttpResponse {
    if (!isStorable(response)) return response;

    const entry = createCachedResponse(response, now() + ttls.l2);
    if (closed) return entry.response;

    l1.set(entryKey, entry, ttls.l1);
    // The write is not awaited, because this process serves the entry from L1 already.
    l2Writer?.write(entryKey, entry, ttls.l2);
    return entry.response;
  }

  /**
   * Reads the record store's copy and returns it with what remains of each layer's time to
   * live, or undefined when there is none, it is too old, or the read failed.
   */
  async function readL3(reader: NonNullable<CacheLoadOptions['readL3']>, ttls: EntryTtls): Promise<{ response: HttpResponse; ttls: EntryTtls } | undefined> {
    let copy;
    try {
      copy = await reader();
    } catch (error) {
      warnL3({ err: error }, 'response cache could not read the record store; the request goes to the provider');
      return undefined;
    }
    if (copy === undefined) return undefined;

    // The copy is as old as its write, so it may be served only for the rest of the lifetime.
    const age = Math.max(0, now() - copy.writtenAt);
    if (age >= ttls.l1) return undefined;
    return { response: copy.response, ttls: { l1: ttls.l1 - age, l2: ttls.l2 - age } };
  }

  async function readL2(client: Redis, entryKey: string, reader: CacheLoadOptions['readL2']): Promise<CachedResponse | undefined> {
    if (isRedisUnavailable(client)) {
      warnL2({ redisStatus: client.status }, 'response cache skipped Redis because it is not connected; requests go to the provider');
      return undefined;
    }

    let text: string | null | undefined;
    try {
      text = reader === undefined ? undefined : await reader(entryKey);
      if (text === undefined) text = await withTimeout(client.get(entryKey), settings.l2TimeoutMs, 'GET');
    } catch (error) {
      warnL2({ err: error }, 'response cache could not read an entry from Redis; the request goes to the provider');
      return undefined;
    }
    if (text === null) return undefined;

    const stored = parseCachedResponse(text);
    if (stored === undefined) warnL2({ key: entryKey }, 'response cache ignored an unreadable entry in Redis; the request goes to the provider');
    return stored;
  }

  async function invalidate(invalidation: CacheInvalidation): Promise<void> {
    if (typeof invalidation.connectionId !== 'string' || invalidation.connectionId === '') {
      throw new LumioError('CACHE_KEY_INVALID', 'The invalidation has no connection id; pass the id of the connection whose data changed.', {
        status: 500,
        fault: 'platform',
      });
    }
    if (closed) return;

    try {
      await generations.bump(invalidation);
    } catch (error) {
      // Without the raised number this process must not serve what it contains, so it drops
      // the whole connection from L1 (O(l1MaxItems), only on this failure path).
      // NOTE: other processes, and this one once it reads L2 again, may still serve the
      // entries stored in Redis before the write, until their time to live ends.
      const removed = l1.deleteByPrefix(`${settings.keyPrefix}response:${connectionKeyPrefix(invalidation.connectionId)}`);
      warnInvalidation(
        { err: error, connectionId: invalidation.connectionId, object: invalidation.object, removedFromL1: removed },
        'response cache could not invalidate in Redis; other processes may serve older responses until they expire',
      );
    }
  }

  async function close(): Promise<void> {
    if (closed) return;

    closed = true;
    l1.clear();
    await generations.close();
    logger.info({ keyPrefix: settings.keyPrefix }, 'response cache closed');
  }

  return { getOrLoad, invalidate, ready: () => generations.ready(), close };
}

function resolveSettings(options: ResponseCacheOptions): CacheSettings {
  if (typeof options.keyPrefix !== 'string' || options.keyPrefix === '') {
    throw invalidOption('keyPrefix', options.keyPrefix, 'a non-empty string such as "lumio:cache:"');
  }

  const settings: CacheSettings = {
    keyPrefix: options.keyPrefix,
    l1MaxItems: options.l1MaxItems ?? DEFAULT_L1_MAX_ITEMS,
    l1TtlMs: options.l1TtlMs ?? DEFAULT_L1_TTL_MS,
    l2TtlMs: options.l2TtlMs ?? DEFAULT_L2_TTL_MS,
    l2TimeoutMs: options.l2TimeoutMs ?? DEFAULT_L2_TIMEOUT_MS,
    generationRefreshMs: options.generationRefreshMs ?? DEFAULT_GENERATION_REFRESH_MS,
  };

  if (!Number.isSafeInteger(settings.l1MaxItems) || settings.l1MaxItems < 0) {
    throw invalidOption('l1MaxItems', settings.l1MaxItems, 'an integer of 0 or more');
  }
  for (const name of ['l1TtlMs', 'l2TtlMs', 'l2TimeoutMs'] as const) {
    const value = settings[name];
    if (!Number.isFinite(value) || value <= 0) throw invalidOption(name, value, 'a positive number of milliseconds');
  }
  if (!Number.isFinite(settings.generationRefreshMs) || settings.generationRefreshMs < 0) {
    throw invalidOption('generationRefreshMs', settings.generationRefreshMs, 'milliseconds of 0 or more');
  }
  if (settings.l2TtlMs < settings.l1TtlMs) {
    throw invalidOption('l2TtlMs', settings.l2TtlMs, `at least l1TtlMs (${settings.l1TtlMs})`);
  }
  return settings;
}

function invalidOption(name: string, value: unknown, expected: string): LumioError {
  return new LumioError('CACHE_OPTIONS_INVALID', `The response cache option ${name} is ${JSON.stringify(value)}; set it to ${expected}.`, {
    status: 500,
    fault: 'platform',
    details: { option: name },
  });
}

function validateTtl(ttlMs: number | undefined): void {
  if (ttlMs === undefined || (Number.isFinite(ttlMs) && ttlMs >= 0)) return;

  throw new LumioError('CACHE_TTL_INVALID', `The cache time to live ${ttlMs} ms is invalid; pass milliseconds of 0 or more, or undefined for the defaults.`, {
    status: 500,
    fault: 'platform',
    details: { ttlMs },
  });
}

