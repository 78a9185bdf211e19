import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { WorkerLoss } from './plugin-errors.js';
import { releaseSentText } from './sent-message.js';
import type { CallMessage, CallResultMessage, HostCallMessage, HostResultMessage, IsolateEventMessage, ParentMessage, WorkerMessage } from './worker-protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker/sandbox-worker.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Node options of the worker. isolated-vm's README requires `--no-node-snapshot` on
 * Node.js 20 and later; tsx runs the TypeScript sources, as everywhere in the platform.
 */
const WORKER_EXEC_ARGV = ['--no-node-snapshot', '--import', TSX_LOADER];

/** Environment variables the worker inherits. Everything else (keys, database URLs) stays out of its reach. */
const INHERITED_ENVIRONMENT = ['PATH', 'TMPDIR', 'NODE_ENV'];

export interface WorkerProcessOptions {
  logger: Logger;
  onHostCall(message: HostCallMessage): void;
  onEvent(message: IsolateEventMessage): void;
  /** How long the worker may take to start, in milliseconds. Default 30000. */
  startTimeoutMs?: number;
}

export type WorkerCallResult = { type: 'result'; message: CallResultMessage } | { type: 'lost'; loss: WorkerLoss };

interface PendingCall {
  resolve(result: WorkerCallResult): void;
  timer: NodeJS.Timeout;
}

interface RunningWorker {
  child: ChildProcess;
  ready: Promise<void>;
  /** Whether `ready` has resolved, so that calls can send at once. */
  started: boolean;
  /** Bundle hashes this worker has received. */
  loaded: Set<string>;
  calls: Map<number, PendingCall>;
}

/**
 * The sandbox worker process: started at the first call, restarted at the next call after
 * it exits. A call the worker does not respond to within its deadline kills the worker,
 * which fails the other calls in flight with it.
 */
export class WorkerProcess {
  #worker: RunningWorker | undefined;
  #closed = false;

  constructor(private readonly options: WorkerProcessOptions) {}

  /** Process id of the running worker, if one runs. */
  get pid(): number | undefined {
    return this.#worker?.child.pid;
  }

  /**
   * Runs a call, sending the bundle first when this worker has not seen it. Once the
   * message is written to the IPC channel, its `inputJson` is emptied (see releaseSentText)
   * and the pending call keeps only the call id, so the input's JSON text can be collected
   * while the worker runs.
   */
  call(bundle: { sha256: string; code: string }, message: CallMessage, deadlineMs: number): Promise<WorkerCallResult> {
    if (this.#closed) return Promise.resolve({ type: 'lost', loss: { reason: 'stopped' } });
    const worker = this.#worker ?? this.start();
    if (worker.started) return this.dispatch(worker, bundle, message, deadlineMs);
    return worker.ready.then(() => this.dispatch(worker, bundle, message, deadlineMs));
  }

  sendHostResult(message: HostResultMessage): void {
    if (this.#worker) this.send(this.#worker, message);
  }

  /** Stops the worker; calls in flight fail as stopped. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!worker) return;

    const { child } = worker;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  // No closure here refers to `message`, and its input text is emptied once written.
  private dispatch(worker: RunningWorker, bundle: { sha256: string; code: string }, message: CallMessage, deadlineMs: number): Promise<WorkerCallResult> {
    if (!worker.loaded.has(bundle.sha256)) {
      this.send(worker, { type: 'load', sha256: bundle.sha256, code: bundle.code });
      worker.loaded.add(bundle.sha256);
    }

    const { callId } = message;
    const result = new Promise<WorkerCallResult>((resolve) => {
      const timer = setTimeout(() => {
        this.options.logger.error({ workerPid: worker.child.pid, callId, deadlineMs }, 'plugin sandbox worker did not respond to a call in time; killing it');
        worker.calls.delete(callId);
        resolve({ type: 'lost', loss: { reason: 'unresponsive' } });
        worker.child.kill('SIGKILL');
      }, deadlineMs);
      worker.calls.set(callId, { resolve, timer });
    });
    this.send(worker, message);
    releaseSentText(message);
    return result;
  }

  private start(): RunningWorker {
    const environment = Object.fromEntries(INHERITED_ENVIRONMENT.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
    // V8's serializer sends the JSON texts of inputs and results as plain strings, without the escaping JSON framing would add.
    const child = fork(WORKER_ENTRY, [], { execArgv: WORKER_EXEC_ARGV, env: environment, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const worker: RunningWorker = { child, ready: Promise.resolve(), started: false, loaded: new Set(), calls: new Map() };
    worker.ready = this.waitUntilReady(worker).then(() => {
      worker.started = true;
    });
    // The first call awaits `ready`; this handler keeps a failed start from being reported as unhandled.
    worker.ready.catch(() => undefined);
    this.#worker = worker;

    child.stderr?.on('data', (chunk: Buffer) => this.options.logger.warn({ workerPid: child.pid, output: chunk.toString().trim().slice(0, 2000) }, 'plugin sandbox worker wrote to stderr'));
    child.on('message', (message: WorkerMessage) => this.receive(worker, message));
    // A send to a worker that just died reports here; its calls fail through the exit handler.
    child.on('error', (error) => this.options.logger.error({ err: error, workerPid: child.pid }, 'plugin sandbox worker channel failed'));
    child.once('exit', (exitCode, signal) => this.onExit(worker, exitCode, signal));
    this.options.logger.info({ workerPid: child.pid }, 'plugin sandbox worker started');
    return worker;
  }

  private waitUntilReady(worker: RunningWorker): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const unavailable = (reason: string) =>
        new LumioError('PLUGIN_SANDBOX_UNAVAILABLE', `The plugin sandbox worker ${reason}; plugin calls fail until it starts.`, { status: 503, fault: 'platform' });
      const timer = setTimeout(() => {
        worker.child.kill('SIGKILL');
        reject(unavailable(`did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      worker.child.on('message', (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      worker.child.once('exit', (exitCode) => {
        clearTimeout(timer);
        reject(unavailable(`exited with code ${exitCode} while starting`));
      });
    });
  }

  private receive(worker: RunningWorker, message: WorkerMessage): void {
    switch (message.type) {
      case 'result': {
        const pending = worker.calls.get(message.callId);
        if (!pending) return;
        clearTimeout(pending.timer);
        worker.calls.delete(message.callId);
        pending.resolve({ type: 'result', message });
        return;
      }
      case 'host-call':
        this.options.onHostCall(message);
        return;
      case 'event':
        this.options.onEvent(message);
        return;
      case 'ready':
        return;
    }
  }

  private onExit(worker: RunningWorker, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.#worker === worker) this.#worker = undefined;
    const loss: WorkerLoss = this.#closed ? { reason: 'stopped' } : { reason: 'exited', exitCode, signal };
    for (const pending of worker.calls.values()) {
      clearTimeout(pending.timer);
      pending.resolve({ type: 'lost', loss });
    }
    worker.calls.clear();

    if (this.#closed) this.options.logger.info({ workerPid: worker.child.pid }, 'plugin sandbox worker stopped');
    else this.options.logger.error({ workerPid: worker.child.pid, exitCode, signal }, 'plugin sandbox worker exited; the next plugin call starts a new one');
  }

  private send(worker: RunningWorker, message: ParentMessage): void {
    if (worker.child.connected) worker.child.send(message);
  }
}
