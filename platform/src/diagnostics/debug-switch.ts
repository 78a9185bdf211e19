import { LumioError } from '../errors/index.js';
import { createWarningLimiter, type LimitedWarning, type Logger } from '../observability/index.js';
import type { RequestDebugLog } from '../runtime/index.js';
import type { Connection, ConnectionDebugSetting, DebugLevel, Store } from '../store/index.js';
import { createDebugLog } from './debug-log.js';

/** Default time debug logging stays on, in seconds. */
export const DEFAULT_DEBUG_DURATION_SECONDS = 3_600;
/** Maximum time debug logging may stay on, in seconds. */
export const MAX_DEBUG_DURATION_SECONDS = 86_400;
/**
 * How long a process trusts the stored setting it read, in milliseconds. A change made
 * through this process applies at once, one made through another process within this time.
 */
const CACHE_MS = 5_000;
const WARNING_INTERVAL_MS = 60_000;

/** Debug logging as the API shows it. */
export interface DebugState {
  enabled: boolean;
  level: DebugLevel | null;
  /** ISO 8601, or null while off. */
  expiresAt: string | null;
  enabledBy: string | null;
}

interface CachedSetting {
  setting: ConnectionDebugSetting | null;
  readAt: number;
  log: RequestDebugLog | null;
}

export interface ConnectionDebugSwitchOptions {
  store: Store;
  logger: Logger;
  now?: () => number;
}

/**
 * Switches time-limited verbose logging of provider requests on and off per connection.
 * The setting is stored, so every process that shares the database reads it, and each
 * process caches it for a few seconds so a request costs no query.
 */
export class ConnectionDebugSwitch {
  readonly #options: ConnectionDebugSwitchOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, CachedSetting>();
  readonly #pending = new Map<string, Promise<CachedSetting>>();
  readonly #warn: LimitedWarning;

  constructor(options: ConnectionDebugSwitchOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#warn = createWarningLimiter({ logger: options.logger, intervalMs: WARNING_INTERVAL_MS });
  }

  /** Switches debug logging on for `durationSeconds` from now, replacing any earlier setting. */
  async enable(connection: Connection, options: { level: DebugLevel; durationSeconds: number; actor: string }): Promise<DebugState> {
    if (!Number.isInteger(options.durationSeconds) || options.durationSeconds < 1 || options.durationSeconds > MAX_DEBUG_DURATION_SECONDS) {
      throw new LumioError('FIELD_INVALID', `duration must be a whole number of seconds from 1 to ${MAX_DEBUG_DURATION_SECONDS}, got ${String(options.durationSeconds)}.`, {
        status: 400,
        fault: 'caller',
        details: { field: 'duration' },
      });
    }

    const now = this.#now();
    const setting: ConnectionDebugSetting = {
      connectionId: connection.id,
      workspaceId: connection.workspaceId,
      level: options.level,
      enabledAt: now,
      expiresAt: now + options.durationSeconds * 1000,
      enabledBy: options.actor,
    };
    await this.#options.store.connectionDebug.save(setting);
    this.#remember(setting);

    this.#options.logger.info({ connectionId: connection.id, level: setting.level, expiresAt: new Date(setting.expiresAt).toISOString(), actor: options.actor }, 'connection debug logging switched on');
    return stateOf(setting, now);
  }

  /** Switches debug logging off at once. */
  async disable(connection: Connection, actor: string): Promise<DebugState> {
    const deleted = await this.#options.store.connectionDebug.delete(connection.id);
    this.#remember(null, connection.id);
    if (deleted) this.#options.logger.info({ connectionId: connection.id, actor }, 'connection debug logging switched off');
    return stateOf(null, this.#now());
  }

  /** Returns the stored state, read from the database. */
  async state(connectionId: string): Promise<DebugState> {
    return stateOf(await this.#options.store.connectionDebug.get(connectionId), this.#now());
  }

  /**
   * Returns the connection's debug log while logging is on, else null. Reads the database
   * at most once per connection every few seconds. A failed read is logged and counts as off.
   */
  async debugLog(connectionId: string): Promise<RequestDebugLog | null> {
    const now = this.#now();
    let cached = this.#cache.get(connectionId);
    if (!cached || now - cached.readAt >= CACHE_MS) {
      try {
        cached = await this.#read(connectionId);
      } catch (error) {
        this.#warn({ err: error, connectionId }, 'reading the debug setting of a connection failed; its requests are not debug-logged until a read succeeds');
        return null;
      }
    }

    // The expiry is checked on every call, so logging stops at `expiresAt` even between reads.
    if (!cached.setting || cached.setting.expiresAt <= now) return null;
    return cached.log;
  }

  /** Reads the setting once for concurrent callers. */
  #read(connectionId: string): Promise<CachedSetting> {
    const pending = this.#pending.get(connectionId);
    if (pending) return pending;

    const read = this.#options.store.connectionDebug
      .get(connectionId)
      .then((setting) => this.#remember(setting, connectionId))
      .finally(() => this.#pending.delete(connectionId));
    this.#pending.set(connectionId, read);
    return read;
  }

  #remember(setting: ConnectionDebugSetting | null, connectionId = setting?.connectionId ?? ''): CachedSetting {
    const previous = this.#cache.get(connectionId);

    // The logger is kept while the setting is unchanged, so its child bindings are built once.
    let log: RequestDebugLog | null = null;
    if (setting !== null && previous?.setting?.expiresAt === setting.expiresAt && previous.log) log = previous.log;
    else if (setting !== null) log = createDebugLog(this.#options.logger, connectionId, setting.expiresAt);
    const cached = { setting, readAt: this.#now(), log };
    this.#cache.set(connectionId, cached);
    return cached;
  }
}

function stateOf(setting: ConnectionDebugSetting | null, now: number): DebugState {
  if (!setting || setting.expiresAt <= now) return { enabled: false, level: null, expiresAt: null, enabledBy: null };
  return { enabled: true, level: setting.level, expiresAt: new Date(setting.expiresAt).toISOString(), enabledBy: setting.enabledBy };
}
