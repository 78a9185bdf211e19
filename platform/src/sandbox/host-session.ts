import { LumioError, isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { ConnectorContext } from '../runtime/index.js';
import type { PluginStateRepository } from '../store/index.js';
import { invalidHostCall, runCryptoCall, runStateCall, sendPluginRequest, writePluginLog, type KeyResolver } from './capabilities/index.js';
import { MAX_HOST_CALLS, type HostCallError, type HostCallMessage, type HostResultMessage } from './worker-protocol.js';

/** Log lines one plugin call may write; later ones are dropped after one warning. */
export const MAX_LOG_LINES = 100;
/** How long `close` waits for host calls still running when a plugin call ends, in milliseconds. */
const SETTLE_TIMEOUT_MS = 1000;

const METHODS: Record<string, readonly string[]> = {
  http: ['request'],
  state: ['get', 'set', 'delete'],
  log: ['info', 'warn', 'error'],
  crypto: ['hmac', 'hash', 'timingSafeEqual'],
};

export interface HostSessionOptions {
  connectorId: string;
  /** Capabilities the manifest grants. */
  capabilities: readonly string[];
  object: string | null;
  /** The connection the call serves; without it http, state and crypto by key reference are unavailable. */
  context?: ConnectorContext;
  pluginState?: PluginStateRepository;
  /** Finds HMAC keys by reference. Default: the connection's credential fields. */
  resolveKey?: KeyResolver;
  /** Aborts the call's provider requests together with the caller's work, e.g. a stopping sync. */
  signal?: AbortSignal;
  /** Logger carrying the call's ids; plugin log lines are written under it. */
  logger: Logger;
}

/**
 * The host side of one plugin call: runs the host functions the plugin requests, within
 * the capabilities its manifest grants, and keeps what went wrong so the call's error can
 * name the cause.
 */
export class HostSession {
  /** Aborts provider requests at close. Created with the first request, because one per call showed in CPU profiles of test/bench/plugin-transform.ts. */
  #abort: AbortController | undefined;
  readonly #running = new Set<Promise<unknown>>();
  #denial: { capability: string; method: string } | undefined;
  #hostFailure: LumioError | undefined;
  #calls = 0;
  #overCallLimit = false;
  #logLines = 0;
  #ended = false;

  constructor(private readonly options: HostSessionOptions) {}

  /** The first capability the plugin used without the manifest granting it. */
  get denial(): { capability: string; method: string } | undefined {
    return this.#denial;
  }

  /** The last host call that failed with a platform error, such as a provider's 429. */
  get hostFailure(): LumioError | undefined {
    return this.#hostFailure;
  }

  /** Whether the plugin made more host calls than one call may. */
  get overCallLimit(): boolean {
    return this.#overCallLimit;
  }

  /**
   * Ends the session: later host calls fail, pending provider requests are aborted, and
   * host calls already running (a state write, say) get up to a second to finish. So once
   * the plugin call has returned to its caller, no host call takes effect.
   */
  async close(): Promise<void> {
    this.#ended = true;
    this.#abort?.abort();
    if (this.#running.size === 0) return;

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SETTLE_TIMEOUT_MS);
    });
    await Promise.race([Promise.allSettled([...this.#running]), timeout]);
    clearTimeout(timer);
  }

  /** Runs one host call and returns the response, or null when the plugin expects none (request id 0). */
  async handle(message: HostCallMessage): Promise<HostResultMessage | null> {
    const answer = (result: Omit<HostResultMessage, 'type' | 'callId' | 'requestId'>): HostResultMessage | null =>
      message.requestId === 0 ? null : { type: 'host-result', callId: message.callId, requestId: message.requestId, ...result };

    const running = this.run(message);
    this.#running.add(running);
    try {
      const value = await running;
      return answer({ ok: true, value: value ?? null });
    } catch (error) {
      if (!isLumioError(error)) this.options.logger.warn({ err: error, capability: message.capability, method: message.method }, 'a plugin host call failed inside the platform');
      else if (error.code !== 'PLUGIN_CAPABILITY_DENIED') this.#hostFailure = error;
      return answer({ ok: false, error: toHostCallError(error) });
    } finally {
      this.#running.delete(running);
    }
  }

  private async run({ capability, method, argsJson }: HostCallMessage): Promise<unknown> {
    if (this.#ended) throw new LumioError('PLUGIN_CALL_ENDED', 'The plugin call has ended, so its host calls are rejected.', { status: 502, fault: 'connector' });
    this.#calls += 1;
    if (this.#calls > MAX_HOST_CALLS) {
      this.#overCallLimit = true;
      throw new LumioError('PLUGIN_HOST_CALL_LIMIT', `The "${this.options.connectorId}" plugin made more than ${MAX_HOST_CALLS} host calls in one call, so later ones are rejected.`, {
        status: 502,
        fault: 'connector',
        details: { connectorId: this.options.connectorId, limit: 'hostCalls', limitValue: MAX_HOST_CALLS },
      });
    }
    if (!METHODS[capability]?.includes(method)) throw invalidHostCall(`${capability}.${method}`, 'there is no such host function');
    this.checkGranted(capability, method);
    const args = parseArgs(`${capability}.${method}`, argsJson);

    switch (capability) {
      case 'log':
        return this.log(method, args);
      case 'http':
        return sendPluginRequest({ context: this.requireContext('http.request'), object: this.options.object, signal: this.requestSignal() }, args);
      case 'state':
        return this.runState(method, args);
      default:
        return runCryptoCall(method, args, this.options.resolveKey ?? ((keyRef) => this.credentialKey(keyRef)));
    }
  }

  private checkGranted(capability: string, method: string): void {
    if (this.options.capabilities.includes(capability)) return;

    this.#denial ??= { capability, method };
    throw new LumioError(
      'PLUGIN_CAPABILITY_DENIED',
      `The "${this.options.connectorId}" plugin called context.${capability}.${method}, but its manifest does not grant the "${capability}" capability; add "${capability}" to plugin.capabilities in manifest.json.`,
      { status: 502, fault: 'connector', details: { connectorId: this.options.connectorId, capability, method } },
    );
  }

  private log(level: string, args: unknown[]): null {
    this.#logLines += 1;
    if (this.#logLines === MAX_LOG_LINES + 1) {
      this.options.logger.warn({ limit: MAX_LOG_LINES }, 'plugin log lines over the per-call limit are dropped');
    }
    if (this.#logLines <= MAX_LOG_LINES) writePluginLog(this.options.logger, level, args);
    return null;
  }

  private async runState(method: string, args: unknown[]): Promise<unknown> {
    const connectionId = this.requireContext(`state.${method}`).connectionId;
    if (!connectionId || !this.options.pluginState) {
      throw unavailable(`state.${method}`, 'it serves no stored connection');
    }
    return runStateCall(this.options.pluginState, connectionId, method, args);
  }

  private credentialKey(keyRef: string): string | undefined {
    const credentials = this.requireContext('crypto.hmac').credentials;
    return Object.hasOwn(credentials, keyRef) ? credentials[keyRef] : undefined;
  }

  private requireContext(call: string): ConnectorContext {
    if (!this.options.context) throw unavailable(call, 'it serves no connection');
    return this.options.context;
  }

  private requestSignal(): AbortSignal {
    this.#abort ??= new AbortController();
    return this.options.signal ? AbortSignal.any([this.#abort.signal, this.options.signal]) : this.#abort.signal;
  }
}

function parseArgs(call: string, argsJson: string): unknown[] {
  let args: unknown;
  try {
    args = JSON.parse(argsJson);
  } catch {
    throw invalidHostCall(call, 'the arguments are not valid JSON');
  }
  if (!Array.isArray(args)) throw invalidHostCall(call, 'the arguments are not a list');
  return args;
}

function unavailable(call: string, reason: string): LumioError {
  return new LumioError('PLUGIN_HOST_CALL_UNAVAILABLE', `context.${call} is not available in this plugin call, because ${reason}.`, { status: 502, fault: 'connector', details: { call } });
}

function toHostCallError(error: unknown): HostCallError {
  if (!isLumioError(error)) return { message: 'The host call failed inside the platform.', code: 'HOST_CALL_FAILED' };

  const failure: HostCallError = { message: error.message, code: error.code };
  const providerStatus = (error as { providerStatus?: unknown }).providerStatus;
  if (typeof providerStatus === 'number') failure.status = providerStatus;
  return failure;
}
