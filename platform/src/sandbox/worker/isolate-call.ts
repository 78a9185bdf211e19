import ivm from 'isolated-vm';

import { checkEnvelopeSize } from '../result-envelope.js';
import { MAX_HOST_CALL_ARGS_LENGTH, MAX_HOST_CALLS, type CallMessage, type CallResultMessage, type HostCallMessage, type HostResultMessage, type IsolateEventMessage, type WorkerOutcome } from '../worker-protocol.js';
import { classifyFailure } from './classify-failure.js';
import type { IsolatePool, PooledIsolate } from './isolate-pool.js';
import { LimitMonitor } from './limit-monitor.js';

export interface IsolateCallOptions {
  pool: IsolatePool;
  code: string;
  message: CallMessage;
  /** Forwards a plugin's host call to the platform. */
  forward(message: HostCallMessage): void;
  emit(event: IsolateEventMessage): void;
}

/**
 * Runs one hook call in a fresh context of a pooled isolate. Only primitives, copies
 * (`copy: true`) and plain callbacks cross into the isolate, never an isolated-vm object.
 * Plugin code (the bundle's top level and the hook) runs under the call's CPU and elapsed
 * time limits. Hitting one disposes the isolate, which stops the code wherever it is.
 */
export class IsolateCall {
  #resolveHostCall: ivm.Reference | undefined;
  #finished = false;
  #hostCalls = 0;

  constructor(private readonly options: IsolateCallOptions) {}

  /** Settles a pending host call inside the isolate; ignored once the call is over. */
  deliver(result: HostResultMessage): void {
    if (this.#finished || !this.#resolveHostCall) return;
    const payload = result.ok ? result.value : result.error;
    this.#resolveHostCall.applyIgnored(undefined, [result.requestId, result.ok, payload], { arguments: { copy: true } });
  }

  async run(): Promise<CallResultMessage> {
    const { message, pool } = this.options;
    const { limits, info } = message;

    let entry: PooledIsolate;
    try {
      entry = await pool.acquire(info.connectorId, message.sha256, this.options.code, limits.memoryMb);
    } catch (error) {
      return this.result({ failure: { kind: 'internal', message: `The sandbox could not create an isolate: ${(error as Error).message}` } }, { cpuMs: 0, wallMs: 0 });
    }

    const monitor = new LimitMonitor(entry.isolate, limits, (limit) => {
      this.options.emit({ type: 'event', event: 'limit-kill', connectorId: info.connectorId, sha256: message.sha256, memoryMb: limits.memoryMb, reason: limit });
      entry.isolate.dispose();
    });

    let outcome: WorkerOutcome;
    let pluginRunning = false;
    let context: ivm.Context | undefined;
    let dispatch: ivm.Reference | undefined;
    try {
      context = await entry.isolate.createContext();
      dispatch = await this.install(entry, context);

      monitor.start();
      pluginRunning = true;
      await entry.bundle.run(context);
      const text: unknown = await dispatch.apply(undefined, [info.hook, info.action, message.inputJson, info], {
        arguments: { copy: true },
        result: { promise: true },
      });
      outcome = readText(text, info.maxResultBytes);
    } catch (error) {
      outcome = { failure: classifyFailure(error, monitor.hit, entry.isolate.isDisposed, pluginRunning) };
    } finally {
      this.#finished = true;
      if (!entry.isolate.isDisposed) {
        dispatch?.release();
        this.#resolveHostCall?.release();
        context?.release();
      }
    }

    const stats = monitor.stop();
    if ('failure' in outcome && outcome.failure.kind === 'memory') {
      this.options.emit({ type: 'event', event: 'limit-kill', connectorId: info.connectorId, sha256: message.sha256, memoryMb: limits.memoryMb, reason: 'memoryMb' });
    }
    if (entry.isolate.isDisposed) pool.discard(entry, monitor.hit ?? ('failure' in outcome ? outcome.failure.kind : 'disposed'));
    else pool.release(entry);
    return this.result(outcome, stats);
  }

  /** Gives the context its host-call function, runs the bootstrap and takes its entry points off the global object. */
  private async install(entry: PooledIsolate, context: ivm.Context): Promise<ivm.Reference> {
    const jail = context.global;
    const { callId } = this.options.message;
    const onHostCall = (requestId: unknown, capability: unknown, method: unknown, argsJson: unknown) => {
      if (this.#finished) return;
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
    };

    // `ignored` returns to the isolate at once, and results come back through __lumioResolve.
    await jail.set('__lumioHostCall', new ivm.Callback(onHostCall, { ignored: true }));
    await entry.bootstrap.run(context);
    const dispatch = (await jail.get('__lumioDispatch', { reference: true })) as ivm.Reference;
    this.#resolveHostCall = (await jail.get('__lumioResolve', { reference: true })) as ivm.Reference;
    await jail.delete('__lumioDispatch');
    await jail.delete('__lumioResolve');
    return dispatch;
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
