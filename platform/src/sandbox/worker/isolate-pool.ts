import ivm from 'isolated-vm';

import type { IsolateEventMessage } from '../worker-protocol.js';
import { BOOTSTRAP_SOURCE } from './bootstrap-source.js';
import type { PluginRealm } from './plugin-realm.js';

/** An isolate with the bootstrap and one plugin bundle compiled in it. */
export interface PooledIsolate {
  readonly key: string;
  readonly connectorId: string;
  readonly sha256: string;
  readonly memoryMb: number;
  readonly isolate: ivm.Isolate;
  readonly bootstrap: ivm.Script;
  readonly bundle: ivm.Script;
  /** Warm realms by realm key, least recently used first. */
  readonly realms: Map<string, PluginRealm>;
  idleSince: number;
}

export interface IsolatePoolOptions {
  emit(event: IsolateEventMessage): void;
  /** Idle isolates kept per connector, bundle and memory limit. Default 2. */
  maxIdlePerKey?: number;
  /** Idle time after which an isolate is disposed, in milliseconds. Default 300000. */
  idleTimeoutMs?: number;
  /** Warm realms one isolate keeps; the least recently used one goes first. Default 4. */
  maxRealmsPerIsolate?: number;
  /** Idle time after which a warm realm is dropped, in milliseconds. Default 60000. */
  realmIdleTimeoutMs?: number;
}

/**
 * Isolates per connector, bundle hash and memory limit, reused across calls. Reuse saves
 * creating the isolate and compiling the bundle. An isolate that hit a limit is disposed,
 * never returned. Each isolate also keeps a few warm realms, each for one realm key (see
 * CallMessage.realmKey), so a call with a key skips creating a context and running the
 * bundle. A call without a key gets a fresh realm, so nothing a call leaves in its globals
 * reaches another call.
 */
export class IsolatePool {
  readonly #idle = new Map<string, PooledIsolate[]>();
  readonly #maxIdlePerKey: number;
  readonly #idleTimeoutMs: number;
  readonly #maxRealmsPerIsolate: number;
  readonly #realmIdleTimeoutMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(private readonly options: IsolatePoolOptions) {
    this.#maxIdlePerKey = options.maxIdlePerKey ?? 2;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
    this.#maxRealmsPerIsolate = options.maxRealmsPerIsolate ?? 4;
    this.#realmIdleTimeoutMs = options.realmIdleTimeoutMs ?? 60_000;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.#idleTimeoutMs, this.#realmIdleTimeoutMs)).unref();
  }

  /**
   * Takes an idle isolate for the plugin, preferring one with a warm realm for `realmKey`,
   * or creates one. An idle isolate's warm realms are dropped first when its heap is past
   * half its limit (see checkHeap).
   */
  async acquire(connectorId: string, sha256: string, code: string, memoryMb: number, realmKey: string | null = null): Promise<PooledIsolate> {
    const key = `${connectorId}\u0000${sha256}\u0000${memoryMb}`;
    const idle = this.#idle.get(key) ?? [];
    const warm = realmKey === null ? -1 : idle.findLastIndex((entry) => entry.realms.has(realmKey));
    const [entry] = warm >= 0 ? idle.splice(warm, 1) : idle.splice(-1, 1);
    if (!entry || entry.isolate.isDisposed) return this.create(key, connectorId, sha256, code, memoryMb);

    this.checkHeap(entry);
    return entry;
  }

  /** Takes the isolate's warm realm for `realmKey` out of its cache, if it has one. */
  takeRealm(entry: PooledIsolate, realmKey: string): PluginRealm | undefined {
    const realm = entry.realms.get(realmKey);
    entry.realms.delete(realmKey);
    return realm;
  }

  /** Keeps a realm warm in its isolate for the next call with the same key, dropping the least recently used one over the limit. */
  keepRealm(entry: PooledIsolate, realmKey: string, realm: PluginRealm): void {
    entry.realms.get(realmKey)?.release();
    entry.realms.delete(realmKey);
    entry.realms.set(realmKey, realm);
    for (const [key, oldest] of entry.realms) {
      if (entry.realms.size <= this.#maxRealmsPerIsolate) break;
      oldest.release();
      entry.realms.delete(key);
    }
  }

  /** Returns an isolate after a call; a disposed one is dropped and a surplus one disposed. */
  release(entry: PooledIsolate): void {
    if (entry.isolate.isDisposed) {
      this.releaseRealms(entry);
      return;
    }

    const idle = this.#idle.get(entry.key) ?? [];
    if (idle.length >= this.#maxIdlePerKey) {
      this.discard(entry, 'pool full');
      return;
    }
    entry.idleSince = Date.now();
    idle.push(entry);
    this.#idle.set(entry.key, idle);
  }

  /** Disposes an isolate and reports why. */
  discard(entry: PooledIsolate, reason: string): void {
    this.releaseRealms(entry);
    if (!entry.isolate.isDisposed) entry.isolate.dispose();
    this.options.emit({ type: 'event', event: 'isolate-disposed', connectorId: entry.connectorId, sha256: entry.sha256, memoryMb: entry.memoryMb, reason });
  }

  disposeAll(): void {
    clearInterval(this.#sweeper);
    for (const entries of this.#idle.values()) {
      for (const entry of entries) this.discard(entry, 'worker stopping');
    }
    this.#idle.clear();
  }

  /**
   * Drops every warm realm of an isolate whose heap is past half its limit. Warm realms
   * keep what plugins leave in globals, in a heap that the calls of other connections
   * share, so this leaves about half the heap to another connection's call.
   *
   * It runs when a call takes the isolate, not when the previous call ends, because right
   * after a call the synchronous read mostly waits for the isolate's thread to release its
   * lock, and this main thread serves every isolate. With pages of 100 contacts on two
   * loaded cores, that cut the check from about 65 to about 30 µs of main-thread CPU per
   * call (an estimate against a build without the check). An asynchronous read cost more
   * CPU, for the thread hops. It runs before every call into an isolate that has warm
   * realms, so the guarantee is the same as a check after each call. Warm realms only
   * grow while a call runs in them, and no plugin code runs in an idle isolate: it has no
   * timers, and host-call results that arrive after a call has ended are dropped. During a
   * call, the isolate's own memory limit still stops a plugin with the memory error.
   * NOTE: used_heap_size counts garbage not yet collected, so this can drop realms early.
   */
  private checkHeap(entry: PooledIsolate): void {
    if (entry.realms.size === 0) return;

    const heap = entry.isolate.getHeapStatisticsSync();
    if (heap.used_heap_size > heap.heap_size_limit / 2) this.releaseRealms(entry);
  }

  private releaseRealms(entry: PooledIsolate): void {
    for (const realm of entry.realms.values()) realm.release();
    entry.realms.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entries] of this.#idle) {
      const keep = entries.filter((entry) => entry.idleSince > now - this.#idleTimeoutMs);
      for (const entry of entries) if (!keep.includes(entry)) this.discard(entry, 'idle');
      for (const entry of keep) this.sweepRealms(entry, now - this.#realmIdleTimeoutMs);
      if (keep.length === 0) this.#idle.delete(key);
      else this.#idle.set(key, keep);
    }
  }

  private sweepRealms(entry: PooledIsolate, cutoff: number): void {
    for (const [key, realm] of entry.realms) {
      if (realm.idleSince > cutoff) continue;
      realm.release();
      entry.realms.delete(key);
    }
  }

  private async create(key: string, connectorId: string, sha256: string, code: string, memoryMb: number): Promise<PooledIsolate> {
    const emit = this.options.emit;
    const isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      // isolated-vm's README: after this callback V8 has lost control of the isolate, and the
      // process must end. The platform notices the worker exit and starts a new one.
      onCatastrophicError: (message) => {
        emit({ type: 'event', event: 'catastrophic-error', connectorId, sha256, memoryMb, reason: message });
        process.abort();
      },
    });

    try {
      const bootstrap = await isolate.compileScript(BOOTSTRAP_SOURCE, { filename: 'lumio:bootstrap' });
      const bundle = await isolate.compileScript(code, { filename: `plugin:${connectorId}` });
      emit({ type: 'event', event: 'isolate-created', connectorId, sha256, memoryMb });
      return { key, connectorId, sha256, memoryMb, isolate, bootstrap, bundle, realms: new Map(), idleSince: Date.now() };
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }
}
