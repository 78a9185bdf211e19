import type { SyncRun, SyncRunPatch, UpsertPageResult } from '../store/index.js';
import { computeProgress } from './progress.js';

/** Shortest time between two progress writes of one run, in milliseconds. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Counts and progress of one run, kept in memory and written to the run's row at most every
 * PROGRESS_INTERVAL_MS, so the status endpoint stays live without a write per page.
 */
export class RunTracker {
  pages = 0;
  read = 0;
  inserted = 0;
  updated = 0;
  unchanged = 0;
  deleted = 0;
  /** Mapping errors of this execution; they are not kept across a resumption. */
  mappingErrors = 0;
  total: number | null;
  totalIsEstimate: boolean;
  readonly startedAtMs: number;
  #lastWriteMs = 0;

  /** Starts from the counts a resumed run had written, or from zero. */
  constructor(run: SyncRun, resuming: boolean, startedAtMs: number) {
    this.startedAtMs = startedAtMs;
    this.total = resuming ? run.progressTotal : null;
    this.totalIsEstimate = resuming ? run.totalIsEstimate : false;
    if (!resuming) return;

    this.pages = run.pages;
    this.read = run.recordsRead;
    this.inserted = run.recordsInserted;
    this.updated = run.recordsUpdated;
    this.unchanged = run.recordsUnchanged;
    this.deleted = run.recordsDeleted;
  }

  setEstimate(total: number | null): void {
    this.total = total;
    this.totalIsEstimate = total !== null;
  }

  /** Adds a stored page. A total the provider reports for the query replaces any estimate. */
  recordPage(records: number, result: UpsertPageResult, reportedTotal: number | undefined): void {
    this.pages += 1;
    this.read += records;
    this.inserted += result.inserted;
    this.updated += result.updated;
    this.unchanged += result.unchanged;
    this.deleted += result.deleted;

    if (reportedTotal !== undefined) {
      this.total = Math.max(reportedTotal, this.read);
      this.totalIsEstimate = false;
    }
  }

  /** Adds records a full run marked deleted because the provider no longer returned them. */
  recordMissing(result: UpsertPageResult): void {
    this.deleted += result.deleted;
    this.updated += result.updated;
  }

  /** Returns the patch to write now, or null when the last write is too recent. */
  duePatch(nowMs: number): SyncRunPatch | null {
    if (nowMs - this.#lastWriteMs < PROGRESS_INTERVAL_MS) return null;
    this.#lastWriteMs = nowMs;
    return this.patch(nowMs);
  }

  /** Counts, progress and ETA as a run patch. */
  patch(nowMs: number): SyncRunPatch {
    const progress = computeProgress(this.read, this.total, this.totalIsEstimate, this.startedAtMs, nowMs);
    return {
      pages: this.pages,
      recordsRead: this.read,
      recordsInserted: this.inserted,
      recordsUpdated: this.updated,
      recordsUnchanged: this.unchanged,
      recordsDeleted: this.deleted,
      progressCurrent: progress.current,
      progressTotal: progress.total,
      totalIsEstimate: this.totalIsEstimate,
      eta: progress.eta,
    };
  }

  summary() {
    return { pages: this.pages, read: this.read, inserted: this.inserted, updated: this.updated, unchanged: this.unchanged, deleted: this.deleted };
  }
}
