import { describe, expect, it } from 'vitest';
import { createSingleFlight } from './single-flight.js';

describe('createSingleFlight', () => {
  it('runs one task per key', async () => {
    const flights = createSingleFlight<string>();
    let calls = 0;
    const task = async (): Promise<string> => {
      calls += 1;
      const call = calls;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `result ${call}`;
    };

    const results = await Promise.all([flights.run('a', task), flights.run('a', task), flights.run('b', task)]);

    expect(calls).toBe(2);
    expect(results[0]).toBe(results[1]);
    expect(results[2]).not.toBe(results[0]);
    expect(flights.size).toBe(0);
  });

  it('frees the key after rejection', async () => {
    const flights = createSingleFlight<string>();
    const failed = flights.run('a', () => {
      throw new Error('sync failure');
    });

    await expect(failed).rejects.toThrow('sync failure');
    expect(flights.size).toBe(0);
    await expect(flights.run('a', async () => 'second')).resolves.toBe('second');
  });
});
