import ivm from 'isolated-vm';

import type { IsolateEventMessage } from '../worker-protocol.js';
import { BOOTSTRAP_SOURCE } from './bootstrap-source.js';

/** An isolate with the bootstrap and one plugin bundle compiled in it. */
export interface PooledIsolate {
  readonly key: string;
  readonly connectorId: string;
  readonly sha256: string;
  readonly memoryMb: number;
  readonly isolate: ivm.Isolate;
  readonly bootstrap: ivm.Script;
  readonly bundle: ivm.Script;
  idleSince: number;
}

export interface IsolatePoolOptions {
  emit(event: IsolateEventMessage): void;
  /** Idle isolates kept per connector, bundle and memory limit. Default 2. */
  maxIdlePerKey?: number;
  /** Idle time after which an isolate is disposed, in milliseconds. Default 300000. */
  idleTimeoutMs?: number;
}

/**
 * Isolates per connector, bundle hash and memory limit, reused across calls. Each call
 * gets a fresh context in its isolate, so nothing a call leaves in its globals reaches
 * the next one. Reuse saves creating the isolate and compiling the bundle. An isolate
 * that hit a limit is disposed, never returned.
 */
export class IsolatePool {
  readonly #idle = new Map<string, PooledIsolate[]>();
  readonly #maxIdlePerKey: number;
  readonly #idleTimeoutMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(private readonly options: IsolatePoolOptions) {
    this.#maxIdlePerKey = options.maxIdlePerKey ?? 2;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.#idleTimeoutMs)).unref();
  }

  /** Takes an idle isolate for the plugin, or creates one. */
  async acquire(connectorId: string, sha256: string, code: string, memoryMb: number): Promise<PooledIsolate> {
    const key = `${connectorId}\u0000${sha256}\u0000${memoryMb}`;
    const idle = this.#idle.get(key)?.pop();
    if (idle && !idle.isolate.isDisposed) return idle;
    return this.create(key, connectorId, sha256, code, memoryMb);
  }

  /** Returns an isolate after a call; a disposed one is dropped and a surplus one disposed. */
  release(entry: PooledIsolate): void {
    if (entry.isolate.isDisposed) return;

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

  private sweep(): void {
    const cutoff = Date.now() - this.#idleTimeoutMs;
    for (const [key, entries] of this.#idle) {
      const keep = entries.filter((entry) => entry.idleSince > cutoff);
      for (const entry of entries) if (!keep.includes(entry)) this.discard(entry, 'idle');
      if (keep.length === 0) this.#idle.delete(key);
      else this.#idle.set(key, keep);
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
      return { key, connectorId, sha256, memoryMb, isolate, bootstrap, bundle, idleSince: Date.now() };
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }
}
