import { describe, expect, it } from 'vitest';

import { classifyFailure } from './classify-failure.js';

describe('classifyFailure', () => {
  const disposedError = new Error('Isolate was disposed during execution');

  it('names the time limit the monitor hit', () => {
    expect(classifyFailure(disposedError, 'cpuTimeMs', true, true).kind).toBe('cpu');
    expect(classifyFailure(disposedError, 'wallTimeMs', true, true).kind).toBe('wall');
  });

  it('names the memory limit when the isolate disposed itself', () => {
    expect(classifyFailure(new Error('Isolate was disposed during execution due to memory limit'), undefined, true, true).kind).toBe('memory');
    expect(classifyFailure(disposedError, undefined, true, false).kind).toBe('memory');
  });

  it('reports an error of the plugin top level as thrown', () => {
    const failure = classifyFailure(new TypeError('definePlugin expects an object'), undefined, false, true);

    expect(failure).toMatchObject({ kind: 'threw', name: 'TypeError', message: 'definePlugin expects an object' });
    expect(failure.stack).toContain('definePlugin expects an object');
  });

  it('reports a failure before plugin code ran as internal', () => {
    expect(classifyFailure(new Error('context creation failed'), undefined, false, false)).toEqual({ kind: 'internal', message: 'context creation failed' });
  });

  it('describes a thrown primitive', () => {
    expect(classifyFailure('text', undefined, false, true)).toEqual({ kind: 'threw', message: 'text', name: 'Error' });
  });
});
