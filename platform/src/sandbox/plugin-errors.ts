import type { SandboxLimits } from '../config/index.js';
import { LumioError } from '../errors/index.js';
import { locatePluginError, type PluginSource } from './plugin-source-location.js';
import type { CallFailure, WorkerCallName } from './worker-protocol.js';

/** Facts about a plugin call that every error names. */
export interface CallFacts {
  connectorId: string;
  hook: WorkerCallName;
  action: string | null;
  bundleHash: string;
  limits: SandboxLimits;
  maxResultBytes: number;
  /** The plugin's entry and source map, to name the file and line where a hook threw. */
  source?: PluginSource;
}

/** Reason the worker process returned no result for a call. */
export interface WorkerLoss {
  reason: 'exited' | 'unresponsive' | 'stopped';
  exitCode?: number | null;
  signal?: string | null;
}

const LIMIT_ENVIRONMENT: Record<keyof SandboxLimits, string> = {
  memoryMb: 'LUMIO_SANDBOX_MAX_MEMORY_MB',
  cpuTimeMs: 'LUMIO_SANDBOX_MAX_CPU_MS',
  wallTimeMs: 'LUMIO_SANDBOX_MAX_WALL_MS',
};

/** Describes the call for messages, e.g. `the transformPage hook of the "acme" plugin`. */
export function describeCall(facts: Pick<CallFacts, 'connectorId' | 'hook' | 'action'>): string {
  let part = `the ${facts.hook} hook`;
  if (facts.hook === 'action') part = `the action "${facts.action}"`;
  if (facts.hook === 'describe') part = 'the plugin definition';
  return `${part} of the "${facts.connectorId}" plugin`;
}

function baseDetails(facts: CallFacts): Record<string, unknown> {
  const details: Record<string, unknown> = { connectorId: facts.connectorId, hook: facts.hook, bundleHash: facts.bundleHash };
  if (facts.action !== null) details.action = facts.action;
  return details;
}

/** Resource each limit caps, named in the sentence that offers to raise the limit. */
const LIMIT_RESOURCE: Record<keyof SandboxLimits, string> = {
  memoryMb: 'memory',
  cpuTimeMs: 'CPU time',
  wallTimeMs: 'time',
};

/**
 * Builds the error of a call stopped at a limit: `overrun` completes the first sentence with
 * what the call did, and `advice` is a sentence on what to change in the hook.
 */
function limitError(code: string, facts: CallFacts, limit: keyof SandboxLimits, overrun: string, advice: string): LumioError {
  const value = facts.limits[limit];
  return new LumioError(
    code,
    `The sandbox stopped ${describeCall(facts)} ${overrun}. ${advice} If it needs more ${LIMIT_RESOURCE[limit]}, raise plugin.limits.${limit} in the manifest (up to ${LIMIT_ENVIRONMENT[limit]}).`,
    { status: 502, fault: 'connector', details: { ...baseDetails(facts), limit, limitValue: value } },
  );
}

function cpuLimitError(facts: CallFacts): LumioError {
  const overrun = `after it used its ${facts.limits.cpuTimeMs} ms of CPU time`;
  return limitError('PLUGIN_CPU_LIMIT', facts, 'cpuTimeMs', overrun, 'Check the hook for a loop that does not end, or make it do less work per call.');
}

/**
 * Share of the elapsed time from which a stopped hook counts as computing rather than
 * waiting. A hook that waits uses next to no CPU time, while a loop gets less than all of
 * the elapsed time when other work shares the cores, so the line sits well below one half.
 */
const BUSY_SHARE = 0.25;

// Elapsed time also runs while the hook awaits, so a hook that computes little can still
// reach this limit. The CPU time it used distinguishes the two: a loop reaches this limit
// first when cpuTimeMs is as long as wallTimeMs or the machine is busy.
function wallTimeLimitError(facts: CallFacts, usage: CallUsage | undefined): LumioError {
  const limit = facts.limits.wallTimeMs;
  if (usage === undefined) {
    const overrun = `because it did not finish within ${limit} ms of elapsed time`;
    return limitError('PLUGIN_TIMEOUT', facts, 'wallTimeMs', overrun, 'Check the hook for a promise that never settles or for host calls that wait too long.');
  }

  const cpuMs = Math.round(usage.cpuMs);
  const overrun = `because it did not finish within ${limit} ms of elapsed time, of which it computed for ${cpuMs} ms`;
  const advice =
    usage.cpuMs >= BUSY_SHARE * limit
      ? 'It was busy computing, so check the hook for a loop that does not end, or make it do less work per call.'
      : 'It spent most of that time waiting, so check the hook for a promise that never settles or for host calls that wait too long.';
  return limitError('PLUGIN_TIMEOUT', facts, 'wallTimeMs', overrun, advice);
}

function memoryLimitError(facts: CallFacts): LumioError {
  const overrun = `after it went over its ${facts.limits.memoryMb} MB heap limit`;
  const advice = 'Make the hook hold less data at once, including what module-level variables keep between calls.';
  return limitError('PLUGIN_MEMORY_LIMIT', facts, 'memoryMb', overrun, advice);
}

/** CPU and elapsed time a call used in its isolate, in milliseconds. */
export interface CallUsage {
  cpuMs: number;
  wallMs: number;
}

/** Turns a failed call's outcome from the worker into the error raised to its caller. */
export function pluginFailureError(failure: CallFailure, facts: CallFacts, usage?: CallUsage): LumioError {
  const details = baseDetails(facts);
  switch (failure.kind) {
    case 'cpu':
      return cpuLimitError(facts);
    case 'wall':
      return wallTimeLimitError(facts, usage);
    case 'memory':
      return memoryLimitError(facts);
    case 'too-large':
      return new LumioError('PLUGIN_RESULT_INVALID', `The result of ${describeCall(facts)} is larger than ${facts.maxResultBytes} bytes of JSON; return less data per call (the platform limit is LUMIO_SANDBOX_MAX_RESULT_BYTES).`, {
        status: 502,
        fault: 'connector',
        details: { ...details, limit: 'maxResultBytes', limitValue: facts.maxResultBytes, ...(failure.path ? { path: failure.path } : {}) },
      });
    case 'result':
      return resultInvalidError(facts, failure.path ? `its value at ${failure.path} ${failure.message}` : failure.message, failure.path);
    case 'definition':
      return new LumioError('PLUGIN_DEFINITION_INVALID', `The "${facts.connectorId}" plugin does not load: ${failure.message}`, { status: 502, fault: 'connector', details: { ...details, error: failure.message } });
    case 'hook-missing':
      return new LumioError('PLUGIN_HOOK_MISSING', `The "${facts.connectorId}" plugin has no ${missingName(facts)}; define it in the plugin or remove its use from the manifest.`, {
        status: 502,
        fault: 'connector',
        details,
      });
    case 'threw':
      return thrownError(failure, facts, details);
    case 'internal':
      return new LumioError('PLUGIN_SANDBOX_FAILED', `The sandbox failed to run ${describeCall(facts)}: ${failure.message}`, { status: 500, fault: 'platform', details });
  }
}

/** Builds the error of a hook that threw, naming the plugin's file and line when the source map gives them. */
function thrownError(failure: CallFailure, facts: CallFacts, details: Record<string, unknown>): LumioError {
  const location = facts.source ? locatePluginError(failure.stack, facts.connectorId, facts.source) : undefined;
  const where = location ? ` (at ${location.file}:${location.line}:${location.column})` : '';
  return new LumioError('PLUGIN_THREW', `${capitalize(describeCall(facts))} threw ${failure.name ?? 'Error'}: ${failure.message}${where}`, {
    status: 502,
    fault: 'connector',
    details: { ...details, errorName: failure.name ?? 'Error', error: failure.message, ...(location ? { location } : {}) },
  });
}

/** Builds the error of a result that is JSON but not what the hook must return. */
export function resultInvalidError(facts: CallFacts, problem: string, path?: string): LumioError {
  return new LumioError('PLUGIN_RESULT_INVALID', `The result of ${describeCall(facts)} is invalid: ${problem}.`, {
    status: 502,
    fault: 'connector',
    details: { ...baseDetails(facts), ...(path ? { path } : {}) },
  });
}

/** Builds the error of a call the worker process returned no result for. */
export function workerLossError(loss: WorkerLoss, facts: CallFacts): LumioError {
  if (loss.reason === 'unresponsive') {
    return new LumioError('PLUGIN_TIMEOUT', `The sandbox worker did not respond to ${describeCall(facts)} within its ${facts.limits.wallTimeMs} ms time limit, so the platform restarted the worker.`, {
      status: 502,
      fault: 'connector',
      details: { ...baseDetails(facts), limit: 'wallTimeMs', limitValue: facts.limits.wallTimeMs, workerRestarted: true },
    });
  }
  if (loss.reason === 'stopped') {
    return new LumioError('PLUGIN_SANDBOX_UNAVAILABLE', `The sandbox stopped before ${describeCall(facts)} finished, because the platform is shutting down.`, { status: 503, fault: 'platform', details: baseDetails(facts) });
  }
  return new LumioError('PLUGIN_CRASHED', `The sandbox worker process ended (exit code ${loss.exitCode ?? 'none'}, signal ${loss.signal ?? 'none'}) while it ran ${describeCall(facts)}; the next plugin call starts a new worker.`, {
    status: 502,
    fault: 'connector',
    details: { ...baseDetails(facts), exitCode: loss.exitCode ?? null, signal: loss.signal ?? null },
  });
}

function missingName(facts: CallFacts): string {
  return facts.hook === 'action' ? `action "${facts.action}"` : `${facts.hook} hook`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Builds the error of a call that failed after the plugin made more host calls than one call may. */
export function hostCallLimitError(facts: CallFacts, limit: number): LumioError {
  return new LumioError('PLUGIN_HOST_CALL_LIMIT', `${capitalize(describeCall(facts))} made more than ${limit} host calls, so the platform rejected the rest and the call failed; make fewer, larger requests per call.`, {
    status: 502,
    fault: 'connector',
    details: { ...baseDetails(facts), limit: 'hostCalls', limitValue: limit },
  });
}

/** Builds the error of a call that failed after the plugin used a capability its manifest does not grant. */
export function capabilityDeniedError(facts: CallFacts, capability: string, method: string): LumioError {
  return new LumioError(
    'PLUGIN_CAPABILITY_DENIED',
    `${capitalize(describeCall(facts))} called context.${capability}.${method}, but the manifest does not grant the "${capability}" capability; add it to plugin.capabilities in manifest.json.`,
    { status: 502, fault: 'connector', details: { ...baseDetails(facts), capability, method } },
  );
}
