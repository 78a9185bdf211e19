import type { SandboxLimits } from '../../config/index.js';

/** The limit that stopped a call. */
export type TimeLimit = 'cpuTimeMs' | 'wallTimeMs';

/** The part of an isolated-vm Isolate the monitor reads: its CPU time in nanoseconds. */
export interface CpuClock {
  readonly cpuTime: bigint;
}

/**
 * Watches one call's CPU and elapsed time and calls `onLimit` once when either runs out.
 * The CPU check needs no polling: an isolate runs on one thread, so its CPU time grows at
 * most as fast as the clock, and the check sleeps for the CPU time still left.
 *
 * NOTE: isolated-vm 5.0 measures CPU time as the time the isolate holds its thread, so a
 * plugin blocked in `Atomics.wait` uses CPU time too. Waits for host calls do not count.
 */
export class LimitMonitor {
  #cpuStart = 0n;
  #wallStart = 0;
  #cpuTimer: NodeJS.Timeout | undefined;
  #wallTimer: NodeJS.Timeout | undefined;
  #hit: TimeLimit | undefined;
  /** CPU time used when a limit fired, read before `onLimit` disposes the isolate. */
  #cpuAtHitMs = 0;

  constructor(
    private readonly clock: CpuClock,
    private readonly limits: Pick<SandboxLimits, 'cpuTimeMs' | 'wallTimeMs'>,
    private readonly onLimit: (limit: TimeLimit) => void,
  ) {}

  /** The limit that fired, if one did. */
  get hit(): TimeLimit | undefined {
    return this.#hit;
  }

  start(): void {
    this.#cpuStart = this.clock.cpuTime;
    this.#wallStart = performance.now();
    this.#wallTimer = setTimeout(() => this.fire('wallTimeMs'), this.limits.wallTimeMs);
    this.scheduleCpuCheck(this.limits.cpuTimeMs);
  }

  /**
   * Stops watching and returns the CPU and elapsed milliseconds used since `start`. After a
   * limit fired, the CPU time is the one read just before the isolate was disposed.
   */
  stop(): { cpuMs: number; wallMs: number } {
    clearTimeout(this.#cpuTimer);
    clearTimeout(this.#wallTimer);
    return { cpuMs: this.#hit ? this.#cpuAtHitMs : this.cpuUsedMs(), wallMs: performance.now() - this.#wallStart };
  }

  private scheduleCpuCheck(delayMs: number): void {
    this.#cpuTimer = setTimeout(() => {
      const left = this.limits.cpuTimeMs - this.cpuUsedMs();
      if (left <= 0) this.fire('cpuTimeMs');
      else this.scheduleCpuCheck(Math.max(1, left));
    }, delayMs);
  }

  private cpuUsedMs(): number {
    try {
      return Number(this.clock.cpuTime - this.#cpuStart) / 1e6;
    } catch {
      // A disposed isolate has no CPU time to read; the call is over either way.
      return 0;
    }
  }

  private fire(limit: TimeLimit): void {
    if (this.#hit) return;
    this.#hit = limit;
    this.#cpuAtHitMs = this.cpuUsedMs();
    clearTimeout(this.#cpuTimer);
    clearTimeout(this.#wallTimer);
    this.onLimit(limit);
  }
}
