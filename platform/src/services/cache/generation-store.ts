import type { CacheInvalidation } from './cache-types.js';

/**
 * Generation numbers mixed into every entry key. Raising a number moves all later
 * lookups to new keys, so invalidation costs one increment however many entries exist,
 * and the old entries expire by their time to live.
 */
export interface Generations {
  connection: number;
  /** 0 for a key without an object. */
  object: number;
}

export interface GenerationStore {
  /**
   * Returns the current generations when this process has them in memory, which needs no
   * wait, else undefined. A lookup then calls `read`.
   */
  peek(connectionId: string, object: string | undefined): Generations | undefined;
  /** Returns the current generations, or undefined when Redis could not be read (the caller then skips the cache). */
  read(connectionId: string, object: string | undefined): Promise<Generations | undefined>;
  /** Raises the connection's generation, or the object's when given; rejects when Redis could not be written. */
  bump(invalidation: CacheInvalidation): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Returns the key of a connection's generation, or of one of its objects' when `object` is given. */
export function generationKey(keyPrefix: string, connectionId: string, object?: string): string {
  const connectionPart = `${keyPrefix}generation:${encodeURIComponent(connectionId)}`;
  return object === undefined ? connectionPart : `${connectionPart}:${encodeURIComponent(object)}`;
}

/** Creates a store that keeps generations in process memory only, for a cache without Redis. */
export function createLocalGenerationStore(): GenerationStore {
  // Never evicted: dropping a raised number would bring back the entries it invalidated.
  // The map contains one entry per invalidated connection, with one number per invalidated
  // object. Lookups by id build no key string, because every cached read makes one.
  const generations = new Map<string, { connection: number; objects: Map<string, number> }>();

  function peek(connectionId: string, object: string | undefined): Generations {
    const known = generations.get(connectionId);
    if (known === undefined) return { connection: 0, object: 0 };
    return { connection: known.connection, object: object === undefined ? 0 : (known.objects.get(object) ?? 0) };
  }

  return {
    peek,
    read: async (connectionId, object) => peek(connectionId, object),
    async bump(invalidation) {
      let known = generations.get(invalidation.connectionId);
      if (known === undefined) {
        known = { connection: 0, objects: new Map() };
        generations.set(invalidation.connectionId, known);
      }
      if (invalidation.object === undefined) known.connection += 1;
      else known.objects.set(invalidation.object, (known.objects.get(invalidation.object) ?? 0) + 1);
    },
    ready: async () => undefined,
    close: async () => undefined,
  };
}
