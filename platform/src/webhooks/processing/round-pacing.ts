// Pacing of the webhook worker's rounds: the pause after a round while the intake is busy,
// and the size of the next claim.

/** Maximum pause after one round while the intake is busy, so a slow round never stalls the queue for long. */
const MAX_PAUSE_MS = 1_000;

/** Minimum pause after one round while the intake is busy, so every such round measures the event loop's load. */
const MIN_PAUSE_MS = 1;

/** Weight of the newest measurement in the load estimate. The previous estimate keeps the rest. */
const LOAD_WEIGHT = 0.5;

/** Smallest share of the time the worker keeps while the intake is busy, so the queue keeps moving during a burst. */
const MIN_SHARE = 0.05;

/**
 * A batch grows only while a round takes less than this fraction of the lock time, so a
 * batch of slow events (such as `fetch` routes that call the provider) stays far from
 * losing its locks.
 * NOTE: the next batch may hold slower events than the last one, such as `fetch` routes
 * after events stored as they came, so a grown batch can still outlast its locks.
 */
const GROW_BELOW_LOCK_FRACTION = 0.05;

/**
 * Returns the pause after a round of `roundMs` that keeps the worker within `share` of the
 * time (clamped to 0.05..1), in milliseconds, from 1 to 1000.
 */
export function pauseAfterRound(roundMs: number, share: number): number {
  const clamped = Math.min(1, Math.max(MIN_SHARE, share));
  return Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, (roundMs * (1 - clamped)) / clamped));
}

/**
 * Returns the worker's share of the time when the rest of the process keeps the event
 * loop busy `load` of the time (0 to 1): the idle part, and at least `minShare`.
 */
export function shareForLoad(load: number, minShare: number): number {
  return Math.max(minShare, 1 - load);
}

/** Returns the load estimate after a new measurement, an average that favours recent ones. */
export function nextLoadEstimate(previous: number, measured: number): number {
  return previous * (1 - LOAD_WEIGHT) + measured * LOAD_WEIGHT;
}

export interface BatchSizeInput {
  /** Size of the round that just claimed a full batch. */
  limit: number;
  batchSize: number;
  maxBatchSize: number;
  /** Whether the intake stored deliveries since the round started. */
  intakeBusy: boolean;
  roundMs: number;
  lockMs: number;
}

/**
 * Returns the batch size after a full round. While the intake is busy it is `batchSize`,
 * because a round's database work blocks the event loop. Otherwise it doubles, up to
 * `maxBatchSize`, after a quick round, and halves, down to `batchSize`, after a round that
 * took a twentieth of the lock time or more.
 */
export function nextBatchSize(input: BatchSizeInput): number {
  if (input.intakeBusy) return input.batchSize;
  if (input.roundMs >= input.lockMs * GROW_BELOW_LOCK_FRACTION) return Math.max(input.batchSize, Math.floor(input.limit / 2));
  return Math.min(input.maxBatchSize, input.limit * 2);
}
