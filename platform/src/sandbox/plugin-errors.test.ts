import { describe, expect, it } from 'vitest';

import { capabilityDeniedError, hostCallLimitError, pluginFailureError, workerLossError, type CallFacts } from './plugin-errors.js';

const FACTS: CallFacts = {
  connectorId: 'acme',
  hook: 'transformPage',
  action: null,
  bundleHash: 'a'.repeat(64),
  limits: { memoryMb: 32, cpuTimeMs: 250, wallTimeMs: 2000 },
  maxResultBytes: 4096,
};

describe('pluginFailureError', () => {
  it.each([
    ['cpu', 'PLUGIN_CPU_LIMIT', 'cpuTimeMs', 250],
    ['wall', 'PLUGIN_TIMEOUT', 'wallTimeMs', 2000],
    ['memory', 'PLUGIN_MEMORY_LIMIT', 'memoryMb', 32],
  ] as const)('names the %s limit', (kind, code, limit, value) => {
    const error = pluginFailureError({ kind, message: 'Isolate was disposed during execution' }, FACTS);

    expect(error.code).toBe(code);
    expect(error.fault).toBe('connector');
    expect(error.details).toEqual({ connectorId: 'acme', hook: 'transformPage', bundleHash: FACTS.bundleHash, limit, limitValue: value });
    expect(error.message).toContain('the transformPage hook of the "acme" plugin');
    expect(error.message).toContain(`plugin.limits.${limit}`);
  });

  it('advises on a loop at the CPU limit', () => {
    const error = pluginFailureError({ kind: 'cpu', message: 'Script execution timed out.' }, FACTS);

    expect(error.message).toBe(
      'The sandbox stopped the transformPage hook of the "acme" plugin after it used its 250 ms of CPU time. ' +
        'Check the hook for a loop that does not end, or make it do less work per call. ' +
        'If it needs more CPU time, raise plugin.limits.cpuTimeMs in the manifest (up to LUMIO_SANDBOX_MAX_CPU_MS).',
    );
  });

  it('advises on waits at the elapsed-time limit', () => {
    const error = pluginFailureError({ kind: 'wall', message: 'Isolate was disposed during execution' }, FACTS);

    expect(error.message).toBe(
      'The sandbox stopped the transformPage hook of the "acme" plugin because it did not finish within 2000 ms of elapsed time. ' +
        'Check the hook for a promise that never settles or for host calls that wait too long. ' +
        'If it needs more time, raise plugin.limits.wallTimeMs in the manifest (up to LUMIO_SANDBOX_MAX_WALL_MS).',
    );
    expect(error.message).not.toContain('less work');
  });

  it('tells computing from waiting at the elapsed-time limit', () => {
    const busy = pluginFailureError({ kind: 'wall', message: 'Isolate was disposed during execution' }, FACTS, { cpuMs: 1900.4, wallMs: 2001 });
    const idle = pluginFailureError({ kind: 'wall', message: 'Isolate was disposed during execution' }, FACTS, { cpuMs: 12, wallMs: 2001 });

    expect(busy.message).toBe(
      'The sandbox stopped the transformPage hook of the "acme" plugin because it did not finish within 2000 ms of elapsed time, of which it computed for 1900 ms. ' +
        'It was busy computing, so check the hook for a loop that does not end, or make it do less work per call. ' +
        'If it needs more time, raise plugin.limits.wallTimeMs in the manifest (up to LUMIO_SANDBOX_MAX_WALL_MS).',
    );
    expect(idle.message).toContain('of which it computed for 12 ms. It spent most of that time waiting, so check the hook for a promise that never settles');
    expect(busy.code).toBe('PLUGIN_TIMEOUT');
    expect(idle.code).toBe('PLUGIN_TIMEOUT');
    // A quarter of the 2000 ms limit is where computing starts.
    expect(pluginFailureError({ kind: 'wall', message: '' }, FACTS, { cpuMs: 500, wallMs: 2001 }).message).toContain('It was busy computing');
    expect(pluginFailureError({ kind: 'wall', message: '' }, FACTS, { cpuMs: 499, wallMs: 2001 }).message).toContain('It spent most of that time waiting');
  });

  it('advises on held data at the memory limit', () => {
    const error = pluginFailureError({ kind: 'memory', message: 'Array buffer allocation failed' }, FACTS);

    expect(error.message).toBe(
      'The sandbox stopped the transformPage hook of the "acme" plugin after it went over its 32 MB heap limit. ' +
        'Make the hook hold less data at once, including what module-level variables keep between calls. ' +
        'If it needs more memory, raise plugin.limits.memoryMb in the manifest (up to LUMIO_SANDBOX_MAX_MEMORY_MB).',
    );
  });

  it('names the action at a limit', () => {
    const error = pluginFailureError({ kind: 'wall', message: 'Isolate was disposed during execution' }, { ...FACTS, hook: 'action', action: 'sendMessage' });

    expect(error.message).toContain('The sandbox stopped the action "sendMessage" of the "acme" plugin because it did not finish within 2000 ms');
    expect(error.details).toMatchObject({ action: 'sendMessage', limit: 'wallTimeMs', limitValue: 2000 });
  });

  it('names an action', () => {
    const error = pluginFailureError({ kind: 'threw', name: 'TypeError', message: 'input.to is undefined' }, { ...FACTS, hook: 'action', action: 'sendMessage' });

    expect(error.code).toBe('PLUGIN_THREW');
    expect(error.message).toBe('The action "sendMessage" of the "acme" plugin threw TypeError: input.to is undefined');
    expect(error.details).toMatchObject({ action: 'sendMessage', errorName: 'TypeError', error: 'input.to is undefined' });
  });

  it('names the size limit of a result', () => {
    const error = pluginFailureError({ kind: 'too-large', message: 'too large', path: '$[40]' }, FACTS);

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.details).toMatchObject({ limit: 'maxResultBytes', limitValue: 4096, path: '$[40]' });
  });

  it('names where an invalid result is wrong', () => {
    const error = pluginFailureError({ kind: 'result', message: 'is a function; return plain JSON data', path: '$[0].format' }, FACTS);

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.message).toContain('its value at $[0].format is a function');
    expect(error.details.path).toBe('$[0].format');
  });

  it.each([
    ['definition', 'PLUGIN_DEFINITION_INVALID', 'connector'],
    ['hook-missing', 'PLUGIN_HOOK_MISSING', 'connector'],
    ['internal', 'PLUGIN_SANDBOX_FAILED', 'platform'],
  ] as const)('maps %s to %s', (kind, code, fault) => {
    const error = pluginFailureError({ kind, message: 'details' }, FACTS);

    expect(error.code).toBe(code);
    expect(error.fault).toBe(fault);
  });
});

describe('workerLossError', () => {
  it('reports an unresponsive worker as a timeout', () => {
    const error = workerLossError({ reason: 'unresponsive' }, FACTS);

    expect(error.code).toBe('PLUGIN_TIMEOUT');
    expect(error.details).toMatchObject({ limit: 'wallTimeMs', workerRestarted: true });
  });

  it('reports an exited worker as a crash', () => {
    const error = workerLossError({ reason: 'exited', exitCode: null, signal: 'SIGABRT' }, FACTS);

    expect(error.code).toBe('PLUGIN_CRASHED');
    expect(error.message).toContain('signal SIGABRT');
    expect(error.details).toMatchObject({ connectorId: 'acme', signal: 'SIGABRT', exitCode: null });
  });

  it('reports a stopped worker as unavailable', () => {
    expect(workerLossError({ reason: 'stopped' }, FACTS).code).toBe('PLUGIN_SANDBOX_UNAVAILABLE');
  });
});

describe('hostCallLimitError', () => {
  it('names the host-call limit', () => {
    const error = hostCallLimitError(FACTS, 10_000);

    expect(error.code).toBe('PLUGIN_HOST_CALL_LIMIT');
    expect(error.details).toMatchObject({ connectorId: 'acme', hook: 'transformPage', limit: 'hostCalls', limitValue: 10_000 });
  });
});

describe('capabilityDeniedError', () => {
  it('names the capability to add', () => {
    const error = capabilityDeniedError(FACTS, 'http', 'request');

    expect(error.code).toBe('PLUGIN_CAPABILITY_DENIED');
    expect(error.message).toContain('add it to plugin.capabilities');
    expect(error.details).toMatchObject({ capability: 'http', method: 'request', hook: 'transformPage' });
  });
});
