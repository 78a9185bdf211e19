import type { SandboxLimits } from '../config/index.js';

// Messages between the platform and its sandbox worker process, sent over the Node IPC
// channel as JSON. Only plain data crosses: the worker never receives a credential, and
// every host function runs in the platform process.

/** Hook calls the worker runs: a plugin hook, an action, or "describe" (lists the hooks). */
export type WorkerCallName = 'transformPage' | 'buildRequest' | 'paginate' | 'parseWebhook' | 'verifyWebhook' | 'readStream' | 'action' | 'describe';

/** Facts about a call that the plugin sees on its context. */
export interface CallInfo {
  connectorId: string;
  connectionId: string | null;
  hook: WorkerCallName;
  action: string | null;
  object: string | null;
  /** The connection's config; never credentials. */
  config: Record<string, unknown>;
  /** Capabilities the manifest grants, so `context.log` can fail at once when "log" is missing. */
  capabilities: string[];
  maxResultBytes: number;
}

/** Sends a bundle's code once per worker, before the first call that uses it. */
export interface LoadMessage {
  type: 'load';
  sha256: string;
  code: string;
}

export interface CallMessage {
  type: 'call';
  callId: number;
  sha256: string;
  limits: SandboxLimits;
  input: unknown;
  info: CallInfo;
}

/** The platform's answer to a host call. */
export interface HostResultMessage {
  type: 'host-result';
  callId: number;
  requestId: number;
  ok: boolean;
  value?: unknown;
  error?: HostCallError;
}

/** What a plugin sees of a failed host call: set as `message`, `code` and `status` on the rejected Error. */
export interface HostCallError {
  message: string;
  code: string;
  /** HTTP status of a failed provider request. */
  status?: number;
}

export type ParentMessage = LoadMessage | CallMessage | HostResultMessage;

export interface ReadyMessage {
  type: 'ready';
}

/** A plugin's call of a host function. Request id 0 expects no answer (log lines). */
export interface HostCallMessage {
  type: 'host-call';
  callId: number;
  requestId: number;
  capability: string;
  method: string;
  args: unknown[];
}

export type FailureKind = 'threw' | 'result' | 'too-large' | 'definition' | 'hook-missing' | 'cpu' | 'memory' | 'wall' | 'internal';

export interface CallFailure {
  kind: FailureKind;
  message: string;
  name?: string;
  stack?: string;
  /** Where in the result a "result" failure sits, e.g. `$[3].email`. */
  path?: string;
  /** The `code` property of the thrown error, when it had a string one. */
  code?: string;
}

export type CallOutcome = { ok: true; value?: unknown } | { ok: false; failure: CallFailure };

export interface CallResultMessage {
  type: 'result';
  callId: number;
  outcome: CallOutcome;
  /** CPU and elapsed time the call spent in its isolate, in milliseconds. */
  stats: { cpuMs: number; wallMs: number };
}

/** Isolate lifecycle facts the platform logs with its own logger. */
export interface IsolateEventMessage {
  type: 'event';
  event: 'isolate-created' | 'isolate-disposed' | 'limit-kill' | 'catastrophic-error';
  connectorId: string;
  sha256: string;
  memoryMb: number;
  /** Why an isolate was disposed, or which limit stopped it. */
  reason?: string;
}

export type WorkerMessage = ReadyMessage | HostCallMessage | CallResultMessage | IsolateEventMessage;
