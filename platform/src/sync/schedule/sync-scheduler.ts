import type { JobQueue } from '../../jobs/index.js';
import { createWarningLimiter, type LimitedWarning, type Logger } from '../../observability/index.js';
import type { Store, StoredSyncSchedule } from '../../store/index.js';
import { SYNC_SCHEDULE_JOB, scheduleJobId, type SyncScheduleJobPayload } from '../sync-jobs.js';
import { dueSlot, scheduleTiming } from './schedule-timing.js';

export interface SyncSchedulerOptions {
  store: Store;
  jobs: JobQueue;
  logger: Logger;
}

/** Minimum time between two warnings about schedules that cannot be enqueued, in milliseconds. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * Enqueues the due slots of every sync schedule. Any number of processes may call `tick`
 * at the same time, because a slot's job id is the same in all of them. The queue stores
 * one job per slot, and the schedule row records the slot so later ticks skip it.
 */
export class SyncScheduler {
  readonly #options: SyncSchedulerOptions;
  readonly #warn: LimitedWarning;

  constructor(options: SyncSchedulerOptions) {
    this.#options = options;
    this.#warn = createWarningLimiter({ logger: options.logger, intervalMs: WARNING_INTERVAL_MS });
  }

  /** Enqueues the slot each schedule is due for at `nowMs`. Returns the number of slots this call marked as enqueued. */
  async tick(nowMs = Date.now()): Promise<number> {
    const schedules = await this.#options.store.syncSchedules.listAll();
    let enqueued = 0;
    for (const schedule of schedules) {
      try {
        if (await this.#enqueueDue(schedule, nowMs)) enqueued += 1;
      } catch (error) {
        this.#warn({ err: error, connectionId: schedule.connectionId, object: schedule.object }, 'enqueueing a scheduled sync failed; the next tick tries again');
      }
    }
    return enqueued;
  }

  async #enqueueDue(schedule: StoredSyncSchedule, nowMs: number): Promise<boolean> {
    const { store, jobs, logger } = this.#options;
    const slotAt = dueSlot(scheduleTiming(schedule), schedule, nowMs);
    if (slotAt === null) return false;

    // Enqueued before it is marked: a process that dies in between leaves the slot
    // unmarked, and the next tick enqueues the same job id again, which adds nothing.
    const payload: SyncScheduleJobPayload = { connectionId: schedule.connectionId, object: schedule.object, mode: schedule.mode, slotAt };
    await jobs.enqueue(SYNC_SCHEDULE_JOB, payload, { jobId: scheduleJobId(schedule.connectionId, schedule.object, slotAt) });
    const marked = await store.syncSchedules.markSlot(schedule.connectionId, schedule.object, slotAt);

    if (marked) logger.info({ connectionId: schedule.connectionId, object: schedule.object, slotAt: new Date(slotAt).toISOString() }, 'scheduled sync enqueued');
    return marked;
  }
}
