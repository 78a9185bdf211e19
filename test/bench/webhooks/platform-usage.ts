import { readFile } from 'node:fs/promises';

import type { PlatformProcess } from '../../webhooks/crash/platform-process.js';

/** Clock ticks per second of /proc/<pid>/stat times: USER_HZ, 100 on Linux for every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Time between two reads of the metrics while waiting for the worker, in milliseconds. */
const POLL_INTERVAL_MS = 100;

/** Time between two event counts when the metrics show every event finished but the database does not, in milliseconds. */
const COUNT_INTERVAL_MS = 250;

/** Event statuses the worker has not finished. */
const OPEN_STATUSES = ['received', 'processing', 'failed'];

/**
 * Returns the CPU time (user and system) that process `pid` used so far, in seconds, from
 * /proc/<pid>/stat, or undefined where /proc is not available. Its resolution is 10 ms.
 */
export async function readProcessCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name in brackets may contain spaces, so fields are counted after its ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return Number.isFinite(userTicks) && Number.isFinite(systemTicks) ? (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Webhook event counts of the connection, by status, through the platform's API. */
export async function readEventCounts(platform: PlatformProcess, integration: string): Promise<Record<string, number>> {
  const response = await platform.call('GET', `/v1/integrations/${integration}/webhooks`);
  if (response.status !== 200) throw new Error(`GET /v1/integrations/${integration}/webhooks returned ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.events as Record<string, number>;
}

/** Number of events in the counts that the worker has not finished. */
export function countOpen(counts: Record<string, number>): number {
  return OPEN_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

/** Final statuses in `integration_webhooks_processed_total`. The `failed` status counts attempts that will be retried. */
const FINISHED_STATUSES = new Set(['processed', 'ignored', 'dead']);

/**
 * Reads from the platform's Prometheus metrics how many events of `provider` were stored
 * and how many the worker finished. Rendering the counters costs the platform far less
 * than counting its events in the database.
 */
export async function readWorkerProgress(platform: PlatformProcess, provider: string): Promise<{ stored: number; finished: number }> {
  const response = await fetch(`${platform.url}/metrics`, { headers: { authorization: `Bearer ${platform.apiKey}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics returned ${response.status}: ${text.slice(0, 200)}`);

  let stored = 0;
  let finished = 0;
  for (const line of text.split('\n')) {
    const sample = /^(integration_webhooks_(?:received|processed)_total)\{(.*)\} (\d+)$/.exec(line);
    if (!sample || !sample[2]!.includes(`provider="${provider}"`)) continue;

    const value = Number(sample[3]);
    if (sample[1] === 'integration_webhooks_received_total') stored += value;
    else if (FINISHED_STATUSES.has(/status="([^"]*)"/.exec(sample[2]!)?.[1] ?? '')) finished += value;
  }
  return { stored, finished };
}

/**
 * Waits until no event of the connection is open or `timeoutMs` passed, and returns the
 * last counts with the time waited, in milliseconds. It polls the metrics every 100 ms
 * until the worker finished as many events as were stored, then confirms with the event
 * counts from the database. Counting reads every event of the connection, which would
 * take CPU from the worker it waits for, so it runs only once the metrics show the end.
 */
export async function waitForNoOpenEvents(platform: PlatformProcess, integration: string, timeoutMs: number): Promise<{ counts: Record<string, number>; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const progress = await readWorkerProgress(platform, integration);
    const waitedMs = performance.now() - started;
    let pollMs = POLL_INTERVAL_MS;
    if (progress.finished >= progress.stored || waitedMs >= timeoutMs) {
      const counts = await readEventCounts(platform, integration);
      if (countOpen(counts) === 0 || waitedMs >= timeoutMs) return { counts, waitedMs };
      // The metrics and the database disagree, for example after a lost lock: count less often.
      pollMs = COUNT_INTERVAL_MS;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
