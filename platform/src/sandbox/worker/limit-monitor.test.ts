import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LimitMonitor, type TimeLimit } from './limit-monitor.js';

/** A CPU clock the test advances by hand, in milliseconds. */
class FakeCpu {
  cpuTime = 0n;

  use(ms: number): void {
    this.cpuTime += BigInt(ms) * 1_000_000n;
  }
}

describe('LimitMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires the CPU limit once CPU time runs out', () => {
    const cpu = new FakeCpu();
    const hits: TimeLimit[] = [];
    const monitor = new LimitMonitor(cpu, { cpuTimeMs: 100, wallTimeMs: 10_000 }, (limit) => hits.push(limit));
    monitor.start();

    cpu.use(60);
    vi.advanceTimersByTime(100);
    expect(hits).toEqual([]);

    cpu.use(45);
    vi.advanceTimersByTime(40);
    expect(hits).toEqual(['cpuTimeMs']);
    expect(monitor.hit).toBe('cpuTimeMs');
  });

  it('fires the elapsed-time limit while the isolate waits', () => {
    const cpu = new FakeCpu();
    const hits: TimeLimit[] = [];
    const monitor = new LimitMonitor(cpu, { cpuTimeMs: 100, wallTimeMs: 1000 }, (limit) => hits.push(limit));
    monitor.start();

    vi.advanceTimersByTime(999);
    expect(hits).toEqual([]);
    vi.advanceTimersByTime(1);

    expect(hits).toEqual(['wallTimeMs']);
  });

  it('fires only once', () => {
    const cpu = new FakeCpu();
    const hits: TimeLimit[] = [];
    const monitor = new LimitMonitor(cpu, { cpuTimeMs: 10, wallTimeMs: 20 }, (limit) => hits.push(limit));
    monitor.start();

    cpu.use(50);
    vi.advanceTimersByTime(100);

    expect(hits).toEqual(['cpuTimeMs']);
  });

  it('reports usage and stops watching', () => {
    const cpu = new FakeCpu();
    const hits: TimeLimit[] = [];
    const monitor = new LimitMonitor(cpu, { cpuTimeMs: 100, wallTimeMs: 1000 }, (limit) => hits.push(limit));
    cpu.use(500);
    monitor.start();
    cpu.use(30);
    vi.advanceTimersByTime(50);

    const stats = monitor.stop();
    vi.advanceTimersByTime(5000);

    expect(stats.cpuMs).toBe(30);
    expect(stats.wallMs).toBeGreaterThanOrEqual(0);
    expect(hits).toEqual([]);
  });

  it('keeps the CPU time read when a limit fired', () => {
    let disposed = false;
    const cpu = new FakeCpu();
    const clock = {
      get cpuTime(): bigint {
        if (disposed) throw new Error('Isolate is disposed');
        return cpu.cpuTime;
      },
    };
    // The callback disposes the isolate, as IsolateCall's does.
    const monitor = new LimitMonitor(clock, { cpuTimeMs: 10_000, wallTimeMs: 200 }, () => {
      disposed = true;
    });
    monitor.start();

    cpu.use(150);
    vi.advanceTimersByTime(200);

    expect(disposed).toBe(true);
    expect(monitor.stop().cpuMs).toBe(150);
  });

  it('reads no CPU time from a disposed isolate', () => {
    let disposed = false;
    const clock = {
      get cpuTime(): bigint {
        if (disposed) throw new Error('Isolate is disposed');
        return 0n;
      },
    };
    const monitor = new LimitMonitor(clock, { cpuTimeMs: 100, wallTimeMs: 1000 }, () => undefined);
    monitor.start();

    disposed = true;

    expect(monitor.stop().cpuMs).toBe(0);
  });
});
