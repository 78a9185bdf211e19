/** Live progress of a run, in the shape the status endpoint returns. */
export interface SyncProgress {
  current: number;
  total: number | null;
  /** Whether `total` came from a count estimate rather than the provider's own total for this query. */
  totalIsEstimate: boolean;
  percentage: number | null;
  /** Expected finish time, ISO 8601, from the rate so far; null until it can be computed. */
  eta: string | null;
}

/**
 * Computes percentage and ETA from records done so far. The percentage stays at 99 or below
 * until the run ends, because a total can be an estimate that the run outgrows.
 */
export function computeProgress(current: number, total: number | null, totalIsEstimate: boolean, startedAtMs: number, nowMs: number): SyncProgress {
  if (total === null || total <= 0) {
    return { current, total, totalIsEstimate, percentage: null, eta: null };
  }

  const effectiveTotal = Math.max(total, current);
  const percentage = Math.min(99, Math.floor((current / effectiveTotal) * 100));

  const elapsed = nowMs - startedAtMs;
  let eta: string | null = null;
  if (current > 0 && elapsed > 0) {
    const remainingMs = ((effectiveTotal - current) * elapsed) / current;
    eta = new Date(nowMs + remainingMs).toISOString();
  }

  return { current, total: effectiveTotal, totalIsEstimate, percentage, eta };
}
