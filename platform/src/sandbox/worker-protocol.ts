import type { SandboxLimits } from '../config/index.js';

// Messages between the platform and its sandbox worker process, sent over the Node IPC
// channel with V8's serializer. Only plain data crosses: the worker never receives a
// credential, and every host function runs in the platform process. Hook input and
// results travel as JSON text, which the isolate parses and produces itself, so the worker
// copies them as single strings and never walks them.

/**
 * Host calls one plugin call may make. The isolate and the worker let one more through, so
 * the platform notices the overflow, and reject the rest themselves.
 */
export const MAX_HOST_CALLS = 10_000;

/** Maximum length of the JSON text of one host call's arguments, in characters. */
export const MAX_HOST_CALL_ARGS_LENGTH = 4 * 1024 * 1024;

/** Hook calls the worker runs: a plugin hook, an action, or "describe" (lists the hooks). */
export type WorkerCallName = 'transformPage' | 'buildRequest' | 'paginate' | 'parseWebhook' | 'verifyWebhook' | 'readStream' | 'action' | 'describe';

/** Facts about a call, passed to the plugin on its context. */
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
  /** Host calls the isolate lets through before it rejects more; see MAX_HOST_CALLS. */
  maxHostCalls: number;
  /** See MAX_HOST_CALL_ARGS_LENGTH. */
  maxHostCallArgsLength: number;
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
  /** The hook's input as JSON text. The sender empties it once the message is written (see releaseSentText). */
  inputJson: string;
  info: CallInfo;
  /**
   * Calls with the same key may run one after another in the same warm realm (an isolate
   * context), so the plugin's globals survive between them. A call with null gets a fresh
   * realm. The platform chooses the key, and SandboxHost explains why a key never spans
   * tenants.
   */
  realmKey: string | null;
}

/** The platform's response to a host call. */
export interface HostResultMessage {
  type: 'host-result';
  callId: number;
  requestId: number;
  ok: boolean;
  value?: unknown;
  error?: HostCallError;
}

/** Fields of a failed host call, set as `message`, `code` and `status` on the Error the plugin receives. */
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

/** A plugin's call of a host function. Request id 0 expects no response (log lines). */
export interface HostCallMessage {
  type: 'host-call';
  callId: number;
  requestId: number;
  capability: string;
  method: string;
  /** The arguments as a JSON array, serialised inside the isolate. */
  argsJson: string;
}

export type FailureKind = 'threw' | 'result' | 'too-large' | 'definition' | 'hook-missing' | 'cpu' | 'memory' | 'wall' | 'internal';

export interface CallFailure {
  kind: FailureKind;
  message: string;
  name?: string;
  stack?: string;
  /** Location of a "result" failure in the result, e.g. `$[3].email`. */
  path?: string;
  /** The `code` property of the thrown error, when it had a string one. */
  code?: string;
}

export type CallOutcome = { ok: true; value?: unknown } | { ok: false; failure: CallFailure };

/**
 * The end of a call: the result envelope the isolate returned (see bootstrap-source.ts),
 * which the platform reads, or the failure that ended the call before it returned one.
 */
export type WorkerOutcome = { envelope: string } | { failure: CallFailure };

export interface CallResultMessage {
  type: 'result';
  callId: number;
  outcome: WorkerOutcome;
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
  /** Reason an isolate was disposed, or the limit that stopped it. */
  reason?: string;
}

export type WorkerMessage = ReadyMessage | HostCallMessage | CallResultMessage | IsolateEventMessage;
