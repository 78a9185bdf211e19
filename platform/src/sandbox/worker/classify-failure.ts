import type { CallFailure } from '../worker-protocol.js';
import type { TimeLimit } from './limit-monitor.js';

const LIMIT_KINDS: Record<TimeLimit, 'cpu' | 'wall'> = { cpuTimeMs: 'cpu', wallTimeMs: 'wall' };

/**
 * Names the cause of a call that ended with an exception. It is a time limit the monitor
 * hit, the memory limit (isolated-vm disposes the isolate itself), an error the plugin's
 * top level threw, or a failure of the sandbox before plugin code ran.
 */
export function classifyFailure(error: unknown, limitHit: TimeLimit | undefined, disposed: boolean, pluginRunning: boolean): CallFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (limitHit) return { kind: LIMIT_KINDS[limitHit], message };
  if (disposed || /memory limit/i.test(message)) return { kind: 'memory', message };
  if (!pluginRunning) return { kind: 'internal', message };

  const failure: CallFailure = { kind: 'threw', message, name: error instanceof Error ? error.name : 'Error' };
  if (error instanceof Error && error.stack) failure.stack = error.stack;
  return failure;
}
