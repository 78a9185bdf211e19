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
  // The map contains one number per invalidated connection and object.
  const generations = new Map<string, number>();

  return {
    async read(connectionId, object) {
      return {
        connection: generations.get(generationKey('', connectionId)) ?? 0,
        object: object === undefined ? 0 : (generations.get(generationKey('', connectionId, object)) ?? 0),
      };
    },
    async bump(invalidation) {
      const key = generationKey('', invalidation.connectionId, invalidation.object);
      generations.set(key, (generations.get(key) ?? 0) + 1);
    },
    ready: async () => undefined,
    close: async () => undefined,
  };
}
