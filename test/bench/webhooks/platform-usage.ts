import { readFile } from 'node:fs/promises';

import type { PlatformProcess } from '../../webhooks/crash/platform-process.js';

/** Clock ticks per second of /proc/<pid>/stat times: USER_HZ, 100 on Linux for every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Time between two reads of the event counts while waiting for the worker, in milliseconds. */
const POLL_INTERVAL_MS = 250;

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

/**
 * Polls the event counts every 250 ms until no event is open or `timeoutMs` passed, and
 * returns the last counts with the time waited, in milliseconds. Each poll counts every
 * event of the connection, so polling more often would take CPU from the worker it waits for.
 */
export async function waitForNoOpenEvents(platform: PlatformProcess, integration: string, timeoutMs: number): Promise<{ counts: Record<string, number>; waitedMs: number }> {
  const started = performance.now();
  let counts = await readEventCounts(platform, integration);
  while (countOpen(counts) > 0 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    counts = await readEventCounts(platform, integration);
  }
  return { counts, waitedMs: performance.now() - started };
}
