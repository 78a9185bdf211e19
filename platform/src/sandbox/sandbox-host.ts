import type { SandboxConfig } from '../config/index.js';
import type { Logger } from '../observability/index.js';
import type { ConnectorContext } from '../runtime/index.js';
import type { PluginStateRepository } from '../store/index.js';
import type { KeyResolver } from './capabilities/index.js';
import { checkHookResult, type HookOutputs, type PluginDescription } from './hook-results.js';
import { HostSession } from './host-session.js';
import type { LoadedPlugin } from './plugin-bundle.js';
import { capabilityDeniedError, hostCallLimitError, pluginFailureError, workerLossError, type CallFacts } from './plugin-errors.js';
import { resolvePluginLimits } from './plugin-limits.js';
import { readEnvelope } from './result-envelope.js';
import { WorkerProcess, type WorkerCallResult } from './worker-process.js';
import { MAX_HOST_CALL_ARGS_LENGTH, MAX_HOST_CALLS, type CallInfo, type CallMessage, type HostCallMessage, type IsolateEventMessage, type WorkerCallName } from './worker-protocol.js';

/** A connector with a plugin, as the registry loads it. */
export interface PluginConnector {
  id: string;
  plugin: LoadedPlugin;
}

export interface SandboxHostOptions {
  settings: SandboxConfig;
  logger: Logger;
  /** Storage of `context.state`; without it state calls fail. */
  pluginState?: PluginStateRepository;
  /** Time the worker gets past a call's elapsed-time limit before the platform kills it, in milliseconds. Default 2000. */
  workerGraceMs?: number;
}

export interface PluginCallOptions {
  /** The connection the call serves; it gives the plugin http, state and HMAC keys. */
  context?: ConnectorContext;
  /**
   * Id of the stored connection a call without `context` serves, such as a webhook
   * delivery the intake has matched to its connection. Calls with the same id share a warm
   * realm, as calls with the same context do. It gives the plugin no access to the
   * connection, and it is ignored when `context` is set.
   */
  connectionId?: string;
  /** Action name, for `action` calls. */
  action?: string;
  /** Manifest object key the call is about. */
  object?: string;
  /** Finds HMAC keys by reference. Default: the connection's credential fields. */
  resolveKey?: KeyResolver;
  /** Aborts the call's provider requests, e.g. when a sync stops. */
  signal?: AbortSignal;
}

/** State of a call while the platform waits for the worker. It never includes the input or its JSON text. */
interface CallInProgress {
  callId: number;
  facts: CallFacts;
  /** The call's child logger and host session, created when first needed. */
  scope: { logger?: Logger; session?: HostSession };
  logger(): Logger;
}

/**
 * Runs connector plugin hooks in isolated-vm isolates inside a separate worker process,
 * under each plugin's memory, CPU-time and elapsed-time limits. Host functions run here,
 * in the platform process, so credentials never reach the worker.
 */
export class SandboxHost {
  readonly #worker: WorkerProcess;
  /** Host sessions of the calls in flight, created at a call's first host call. */
  readonly #sessions = new Map<number, () => HostSession>();
  readonly #descriptions = new Map<string, Promise<PluginDescription>>();
  readonly #warnedLimits = new Set<string>();
  readonly #realmKeys = new WeakMap<ConnectorContext, string>();
  #nextCallId = 0;
  #nextRealmKey = 0;

  constructor(private readonly options: SandboxHostOptions) {
    this.#worker = new WorkerProcess({
      logger: options.logger,
      onHostCall: (message) => this.onHostCall(message),
      onEvent: (message) => this.onEvent(message),
    });
  }

  /** Process id of the sandbox worker, while one runs. */
  get workerPid(): number | undefined {
    return this.#worker.pid;
  }

  /** Lists the hooks and actions a plugin defines, once per bundle hash. A failed look-up is tried again next time. */
  describe(connector: PluginConnector): Promise<PluginDescription> {
    const key = `${connector.id}\u0000${connector.plugin.sha256}`;
    let description = this.#descriptions.get(key);
    if (!description) {
      description = this.call(connector, 'describe', null);
      description.catch(() => this.#descriptions.delete(key));
      this.#descriptions.set(key, description);
    }
    return description;
  }

  /**
   * Calls a hook (or, with `hook` "action", one of the plugin's actions) and returns its
   * checked result. Every failure is a LumioError whose details name the connector, the
   * hook and, for a limit, the limit and its value.
   *
   * The input is serialised and sent to the worker before the first await, in this
   * synchronous part. While the call waits for the result, no frame, closure or pending
   * record of it refers to the input or its JSON text, and the sent message's copy is
   * emptied (see releaseSentText). So a scavenge frees the text instead of promoting it.
   */
  call<H extends WorkerCallName>(connector: PluginConnector, hook: H, input: unknown, options: PluginCallOptions = {}): Promise<HookOutputs[H]> {
    const { plugin } = connector;
    let call: CallInProgress;
    let reply: Promise<WorkerCallResult>;
    try {
      const limits = this.resolveLimits(connector);
      const facts: CallFacts = {
        connectorId: connector.id,
        hook,
        action: options.action ?? null,
        bundleHash: plugin.sha256,
        limits,
        maxResultBytes: this.options.settings.maxResultBytes,
        source: { entry: plugin.entry, ...(plugin.sourceMap === undefined ? {} : { sourceMap: plugin.sourceMap }) },
      };
      const inputJson = JSON.stringify(input ?? null);
      const callId = (this.#nextCallId += 1);
      const message: CallMessage = { type: 'call', callId, sha256: plugin.sha256, limits, inputJson, info: this.callInfo(connector, hook, options, facts), realmKey: this.realmKeyOf(options) };
      const deadlineMs = limits.wallTimeMs + (this.options.workerGraceMs ?? 2000);

      // Most calls make no host call, so the child logger and the session are created when first needed.
      const scope: CallInProgress['scope'] = {};
      const logger = () => (scope.logger ??= this.callLogger(connector, hook, options));
      call = { callId, facts, scope, logger };
      reply = this.#worker.call(plugin, message, deadlineMs);
      // Host calls arrive as IPC messages, so never before this line runs.
      this.#sessions.set(callId, () => (scope.session ??= this.openSession(connector, options, logger())));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.finish(hook, call, reply);
  }

  /** Stops the worker process. */
  async close(): Promise<void> {
    await this.#worker.close();
  }

  /** Waits for the worker's result, reads and checks it, and ends the call's host session. */
  private async finish<H extends WorkerCallName>(hook: H, call: CallInProgress, reply: Promise<WorkerCallResult>): Promise<HookOutputs[H]> {
    const { facts, scope } = call;
    try {
      const result = await reply;
      if (result.type === 'lost') throw workerLossError(result.loss, facts);

      const { stats } = result.message;
      const outcome = 'envelope' in result.message.outcome ? readEnvelope(result.message.outcome.envelope, facts.maxResultBytes) : { ok: false as const, failure: result.message.outcome.failure };
      if (this.options.logger.isLevelEnabled('debug')) call.logger().debug({ cpuMs: round(stats.cpuMs), wallMs: round(stats.wallMs), ok: outcome.ok }, 'plugin call finished');
      if (!outcome.ok) {
        const { session } = scope;
        if (outcome.failure.kind === 'threw' && session?.denial) throw capabilityDeniedError(facts, session.denial.capability, session.denial.method);
        if (outcome.failure.kind === 'threw' && session?.overCallLimit) throw hostCallLimitError(facts, MAX_HOST_CALLS);
        // A provider error the plugin let through keeps its own code, so retries and health see it.
        if (outcome.failure.kind === 'threw' && session?.hostFailure && session.hostFailure.message === outcome.failure.message) throw session.hostFailure;
        throw pluginFailureError(outcome.failure, facts, stats);
      }
      return checkHookResult(hook, outcome.value, facts);
    } finally {
      this.#sessions.delete(call.callId);
      if (scope.session) await scope.session.close();
    }
  }

  private callInfo(connector: PluginConnector, hook: WorkerCallName, options: PluginCallOptions, facts: CallFacts): CallInfo {
    return {
      connectorId: connector.id,
      connectionId: options.context?.connectionId ?? null,
      hook,
      action: options.action ?? null,
      object: options.object ?? null,
      config: options.context?.config ?? {},
      capabilities: [...connector.plugin.capabilities],
      maxResultBytes: facts.maxResultBytes,
      maxHostCalls: MAX_HOST_CALLS,
      maxHostCallArgsLength: MAX_HOST_CALL_ARGS_LENGTH,
    };
  }

  /** Creates the child logger of a call, carrying its connector, bundle, hook and connection ids. */
  private callLogger(connector: PluginConnector, hook: WorkerCallName, options: PluginCallOptions): Logger {
    return this.options.logger.child({ connectorId: connector.id, bundleHash: connector.plugin.sha256, hook, ...(options.action ? { action: options.action } : {}), connectionId: options.context?.connectionId ?? options.connectionId });
  }

  private openSession(connector: PluginConnector, options: PluginCallOptions, logger: Logger): HostSession {
    return new HostSession({
      connectorId: connector.id,
      capabilities: connector.plugin.capabilities,
      object: options.object ?? null,
      logger,
      ...(options.context ? { context: options.context } : {}),
      ...(this.options.pluginState ? { pluginState: this.options.pluginState } : {}),
      ...(options.resolveKey ? { resolveKey: options.resolveKey } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  private resolveLimits(connector: PluginConnector) {
    const { limits, lowered } = resolvePluginLimits(this.options.settings, connector.plugin.limits);
    const key = `${connector.id}\u0000${connector.plugin.sha256}`;
    if (lowered.length > 0 && !this.#warnedLimits.has(key)) {
      this.#warnedLimits.add(key);
      this.options.logger.warn({ connectorId: connector.id, lowered, limits }, 'plugin limits above the platform maximum were lowered to it');
    }
    return limits;
  }

  /**
   * Returns the realm key of a call: one key per connector context object, one per stored
   * connection id for a call without a context, or null (a fresh realm) for a call with
   * neither. Calls with the same key may share a warm realm, so plugin globals survive from
   * one page of a sync to the next.
   *
   * Why a warm realm cannot carry data between tenants: a ConnectorContext contains one
   * connection's credentials and config, so it serves a single connection, or a single
   * connection test, and never two tenants. A stored connection id names one connection
   * of one workspace. The worker keeps realms inside the isolate of one connector and
   * bundle hash, so a realm only ever contains what the same plugin code received for the
   * same connection, which the plugin could keep in `context.state` anyway. Contexts are
   * keyed by object and not by connection id, because connection tests of different
   * workspaces share ids of the form `new:<connector>`. For the same reason, a
   * `connectionId` of that form gets a fresh realm. Calls with neither, such as webhook
   * verification before the intake has resolved the connection, get a fresh realm every time.
   */
  private realmKeyOf(options: PluginCallOptions): string | null {
    const { context, connectionId } = options;
    if (!context) return connectionId && !connectionId.startsWith('new:') ? `connection:${connectionId}` : null;

    let key = this.#realmKeys.get(context);
    if (key === undefined) {
      key = String((this.#nextRealmKey += 1));
      this.#realmKeys.set(context, key);
    }
    return key;
  }

  private onHostCall(message: HostCallMessage): void {
    const session = this.#sessions.get(message.callId)?.();
    if (!session) return;

    void session.handle(message).then((answer) => {
      if (answer) this.#worker.sendHostResult(answer);
    });
  }

  private onEvent(message: IsolateEventMessage): void {
    const fields = { connectorId: message.connectorId, bundleHash: message.sha256, memoryMb: message.memoryMb, reason: message.reason };
    switch (message.event) {
      case 'isolate-created':
        this.options.logger.info(fields, 'plugin isolate created');
        return;
      case 'isolate-disposed':
        this.options.logger.info(fields, 'plugin isolate disposed');
        return;
      case 'limit-kill':
        this.options.logger.warn({ ...fields, limit: message.reason }, 'plugin call stopped at its limit; its isolate is disposed');
        return;
      case 'catastrophic-error':
        this.options.logger.error(fields, 'plugin isolate failed beyond recovery; the sandbox worker is ending');
        return;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
