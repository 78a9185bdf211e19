import { describe, expect, it } from 'vitest';

import { limitConcurrency } from './limit-concurrency.js';

/** Creates a task that runs until the test releases it. */
function gate<T>(value: T) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { release, task: async () => (await released, value) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('limitConcurrency', () => {
  it('runs at most the limit at once', async () => {
    const limit = limitConcurrency(2);
    const started: number[] = [];
    const gates = [0, 1, 2, 3].map((index) => gate(index));
    const runs = gates.map((item, index) => limit(() => (started.push(index), item.task())));

    await settle();
    expect(started).toEqual([0, 1]);

    gates[1]!.release();
    await settle();
    expect(started).toEqual([0, 1, 2]);

    gates[0]!.release();
    gates[2]!.release();
    gates[3]!.release();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a failed task', async () => {
    const limit = limitConcurrency(1);
    const failed = limit(() => Promise.reject(new Error('provider down')));
    const next = limit(() => Promise.resolve('next'));

    await expect(failed).rejects.toThrow('provider down');
    expect(await next).toBe('next');
  });
});
