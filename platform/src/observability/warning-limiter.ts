import type { Logger } from './logger.js';

export interface WarningLimiterOptions {
  logger: Logger;
  /** Min time between two logged lines, in milliseconds. */
  intervalMs: number;
  now?: () => number;
}

/** Logs a warning, or counts it when a line was logged less than `intervalMs` ago. */
export type LimitedWarning = (fields: Record<string, unknown>, message: string) => void;

/**
 * Creates a warning logger that writes at most one line per interval, so an outage of a
 * dependency that fails every request does not flood the log. The next line written
 * carries `suppressed`, the number of warnings dropped since the previous line.
 */
export function createWarningLimiter(options: WarningLimiterOptions): LimitedWarning {
  const now = options.now ?? Date.now;
  let lastLoggedAt: number | undefined;
  let suppressed = 0;

  return (fields, message) => {
    const time = now();
    if (lastLoggedAt !== undefined && time - lastLoggedAt < options.intervalMs) {
      suppressed += 1;
      return;
    }

    options.logger.warn({ ...fields, suppressed }, message);
    lastLoggedAt = time;
    suppressed = 0;
  };
}
