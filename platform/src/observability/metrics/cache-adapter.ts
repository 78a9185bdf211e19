import { Counter, type Registry } from 'prom-client';

import type { CacheMetrics } from '../../services/cache/index.js';

/** Creates the response cache metrics on `registry`, per provider and layer (`l1` in memory, `l2` Redis, `l3` the record store). */
export function createPrometheusCacheMetrics(registry: Registry): CacheMetrics {
  const hits = new Counter({
    name: 'integration_cache_hits_total',
    help: 'Response cache lookups served by a layer: l1 (in memory), l2 (Redis) or l3 (the record store).',
    labelNames: ['provider', 'layer'] as const,
    registers: [registry],
  });
  const misses = new Counter({
    name: 'integration_cache_misses_total',
    help: 'Response cache lookups a layer could not serve. A lookup that reaches the provider is a miss in each layer it tried.',
    labelNames: ['provider', 'layer'] as const,
    registers: [registry],
  });

  return {
    hit: (layer, labels) => hits.inc({ provider: labels.provider, layer }),
    miss: (layer, labels) => misses.inc({ provider: labels.provider, layer }),
  };
}
