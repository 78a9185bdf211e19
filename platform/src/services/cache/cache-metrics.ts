/** Layers that count hits and misses; a lookup that ends in `load` is a miss in each layer it tried. */
export type CacheMetricLayer = 'l1' | 'l2' | 'l3';

export interface CacheMetricLabels {
  /** Connector id, e.g. "hubspot". */
  provider: string;
}

/**
 * Receives hit and miss counts per layer. A Prometheus adapter can map them onto
 * `integration_cache_hits_total{provider, layer}` and `integration_cache_misses_total{provider, layer}`.
 */
export interface CacheMetrics {
  hit(layer: CacheMetricLayer, labels: CacheMetricLabels): void;
  miss(layer: CacheMetricLayer, labels: CacheMetricLabels): void;
}

export interface InMemoryCacheMetrics extends CacheMetrics {
  /** Returns how many hits or misses were counted for the layer, for one provider or for all. */
  count(kind: 'hit' | 'miss', layer: CacheMetricLayer, provider?: string): number;
}

/** Creates metrics that count in memory, for tests and for callers without Prometheus. */
export function createInMemoryCacheMetrics(): InMemoryCacheMetrics {
  // Keyed by "kind layer provider"; provider ids never contain spaces.
  const counts = new Map<string, number>();

  function add(kind: 'hit' | 'miss', layer: CacheMetricLayer, labels: CacheMetricLabels): void {
    const name = `${kind} ${layer} ${labels.provider}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  function count(kind: 'hit' | 'miss', layer: CacheMetricLayer, provider?: string): number {
    if (provider !== undefined) return counts.get(`${kind} ${layer} ${provider}`) ?? 0;

    let total = 0;
    for (const [name, value] of counts) {
      if (name.startsWith(`${kind} ${layer} `)) total += value;
    }
    return total;
  }

  return {
    hit: (layer, labels) => add('hit', layer, labels),
    miss: (layer, labels) => add('miss', layer, labels),
    count,
  };
}

/** Metrics that discard every count, used when the caller passes none. */
export const discardedCacheMetrics: CacheMetrics = {
  hit: () => undefined,
  miss: () => undefined,
};
