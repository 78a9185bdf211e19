import { checkEnvelopeSize } from '../result-envelope.js';
import { MAX_HOST_CALL_ARGS_LENGTH, MAX_HOST_CALLS, type CallMessage, type CallResultMessage, type HostCallMessage, type HostResultMessage, type IsolateEventMessage, type WorkerOutcome } from '../worker-protocol.js';
import { classifyFailure } from './classify-failure.js';
import type { IsolatePool, PooledIsolate } from './isolate-pool.js';
import { LimitMonitor } from './limit-monitor.js';
import { PluginRealm } from './plugin-realm.js';

export interface IsolateCallOptions {
  pool: IsolatePool;
  code: string;
  message: CallMessage;
  /** Forwards a plugin's host call to the platform. */
  forward(message: HostCallMessage): void;
  emit(event: IsolateEventMessage): void;
}

/**
 * Runs one hook call in a realm of a pooled isolate: the warm realm of its realm key when
 * the isolate has one, otherwise a fresh one. Only primitives, copies (`copy: true`) and
 * plain callbacks cross into the isolate, never an isolated-vm object. Plugin code (the
 * bundle's top level and the hook) runs under the call's CPU and elapsed time limits.
 * Hitting one disposes the isolate, which stops the code wherever it is.
 */
export class IsolateCall {
  #realm: PluginRealm | undefined;
  #finished = false;
  #hostCalls = 0;

  constructor(private readonly options: IsolateCallOptions) {}

  /** Settles a pending host call inside the isolate; ignored once the call is over. */
  deliver(result: HostResultMessage): void {
    if (this.#finished || !this.#realm) return;
    const payload = result.ok ? result.value : result.error;
    this.#realm.resolveHostCall.applyIgnored(undefined, [result.requestId, result.ok, payload], { arguments: { copy: true } });
  }

  async run(): Promise<CallResultMessage> {
    const { message, pool } = this.options;
    const { limits, info, realmKey } = message;

    let entry: PooledIsolate;
    try {
      entry = await pool.acquire(info.connectorId, message.sha256, this.options.code, limits.memoryMb, realmKey);
    } catch (error) {
      return this.result({ failure: { kind: 'internal', message: `The sandbox could not create an isolate: ${(error as Error).message}` } }, { cpuMs: 0, wallMs: 0 });
    }

    const monitor = new LimitMonitor(entry.isolate, limits, (limit) => {
      this.options.emit({ type: 'event', event: 'limit-kill', connectorId: info.connectorId, sha256: message.sha256, memoryMb: limits.memoryMb, reason: limit });
      entry.isolate.dispose();
    });

    let outcome: WorkerOutcome;
    let pluginRunning = false;
    let realm = realmKey === null ? undefined : pool.takeRealm(entry, realmKey);
    try {
      realm ??= PluginRealm.create(entry.isolate, entry.bootstrap);
      realm.attach((requestId, capability, method, argsJson) => this.onHostCall(requestId, capability, method, argsJson));
      this.#realm = realm;

      monitor.start();
      pluginRunning = true;
      if (!realm.bundleLoaded) {
        await entry.bundle.run(realm.context);
        realm.bundleLoaded = true;
      }
      let text: unknown = await realm.dispatch.apply(undefined, [info.hook, info.action, message.inputJson, info], { arguments: { copy: true } });
      if (text === null) text = await realm.settle.apply(undefined, [], { result: { promise: true } });
      outcome = readText(text, info.maxResultBytes);
    } catch (error) {
      outcome = { failure: classifyFailure(error, monitor.hit, entry.isolate.isDisposed, pluginRunning) };
    } finally {
      this.#finished = true;
      realm?.detach();
    }

    const stats = monitor.stop();
    if ('failure' in outcome && outcome.failure.kind === 'memory') {
      this.options.emit({ type: 'event', event: 'limit-kill', connectorId: info.connectorId, sha256: message.sha256, memoryMb: limits.memoryMb, reason: 'memoryMb' });
    }
    this.putRealmBack(entry, realm, outcome);
    if (entry.isolate.isDisposed) pool.discard(entry, monitor.hit ?? ('failure' in outcome ? outcome.failure.kind : 'disposed'));
    else pool.release(entry);
    return this.result(outcome, stats);
  }

  /**
   * Keeps the realm warm for the next call with the same key, but only after a call that
   * returned an envelope. A realm whose bundle or dispatch threw, or whose isolate is gone,
   * is dropped, so the next call starts from a fresh one.
   */
  private putRealmBack(entry: PooledIsolate, realm: PluginRealm | undefined, outcome: WorkerOutcome): void {
    if (!realm) return;
    const { realmKey } = this.options.message;
    if (realmKey !== null && 'envelope' in outcome && !entry.isolate.isDisposed) this.options.pool.keepRealm(entry, realmKey, realm);
    else realm.release();
  }

  private onHostCall(requestId: unknown, capability: unknown, method: unknown, argsJson: unknown): void {
    if (this.#finished) return;
    const { callId } = this.options.message;
    const id = typeof requestId === 'number' ? requestId : 0;
    const reject = (code: string, message: string) => {
      if (id !== 0) this.deliver({ type: 'host-result', callId, requestId: id, ok: false, error: { code, message } });
    };

    // The bootstrap enforces both limits already. These checks hold even if a plugin
    // found a way around it, so a flood never reaches the platform process.
    this.#hostCalls += 1;
    if (this.#hostCalls > MAX_HOST_CALLS + 1) return reject('PLUGIN_HOST_CALL_LIMIT', `One plugin call may make at most ${MAX_HOST_CALLS} host calls.`);
    if (typeof argsJson !== 'string' || argsJson.length > MAX_HOST_CALL_ARGS_LENGTH) return reject('PLUGIN_HOST_CALL_INVALID', 'The host call arguments are missing or too large.');

    this.options.forward({ type: 'host-call', callId, requestId: id, capability: String(capability), method: String(method), argsJson });
  }

  private result(outcome: WorkerOutcome, stats: { cpuMs: number; wallMs: number }): CallResultMessage {
    return { type: 'result', callId: this.options.message.callId, outcome, stats };
  }
}

/** Passes the envelope text on unparsed, unless it is not text or over the size limit. */
function readText(text: unknown, maxResultBytes: number): WorkerOutcome {
  if (typeof text !== 'string') return { failure: { kind: 'result', message: 'The sandbox returned no result envelope.' } };
  const tooLarge = checkEnvelopeSize(text, maxResultBytes);
  return tooLarge ? { failure: tooLarge } : { envelope: text };
}
