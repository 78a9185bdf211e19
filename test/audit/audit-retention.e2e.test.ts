import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AUDIT_RETENTION_JOB } from '../../platform/src/audit/index.js';
import type { NewAuditEntry } from '../../platform/src/store/index.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 30;
/** More old rows than one delete batch (1,000), so the job must loop. */
const OLD_ROWS = 2_100;
const HOUR_MS = 3_600_000;

function entry(workspaceId: string | null, occurredAt: number, action: string): NewAuditEntry {
  return {
    workspaceId,
    occurredAt,
    actor: 'system',
    userId: null,
    apiKeyId: null,
    action,
    resource: null,
    ipAddress: null,
    userAgent: null,
    status: 'success',
    statusCode: null,
    requestId: null,
    metadata: null,
  };
}

/** Waits until the job completes and returns its result. */
async function waitForJob(test: TestPlatform, jobId: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const job = await test.platform.jobs.getJob(jobId);
    if (job?.state === 'completed') return job.result;
    if (job?.state === 'dead') throw new Error(`Job ${jobId} failed: ${JSON.stringify(job.lastError)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Job ${jobId} did not complete within 30 s.`);
}

forEachDatabase((database) => {
  describe('audit retention job', () => {
    let test: TestPlatform;

    beforeAll(async () => {
      const startedAt = Date.now();
      test = await startTestPlatform({ store: database.storeOptions(), env: { LUMIO_AUDIT_RETENTION_DAYS: String(RETENTION_DAYS) } });

      // The platform enqueues the job of the current hour at start. It must finish before the
      // test inserts rows, or it would delete some of them first. A start across the hour
      // boundary enqueued the job of either hour.
      const slots = new Set([Math.floor(startedAt / HOUR_MS) * HOUR_MS, Math.floor(Date.now() / HOUR_MS) * HOUR_MS]);
      for (const slot of slots) {
        if (await test.platform.jobs.getJob(`audit-retention-${slot}`)) await waitForJob(test, `audit-retention-${slot}`);
      }
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    it('deletes only entries past retention', async () => {
      const { store } = test.platform;
      const other = await store.workspaces.create({ name: 'Retention other tenant' });
      const now = Date.now();
      const cutoff = now - RETENTION_DAYS * DAY_MS;

      const workspaces = [other.id, test.platform.admin.workspaceId, null];
      for (let start = 0; start < OLD_ROWS; start += 50) {
        const chunk = Array.from({ length: Math.min(50, OLD_ROWS - start) }, (_, offset) => start + offset);
        await Promise.all(chunk.map((index) => store.auditLog.append(entry(workspaces[index % 3] ?? null, cutoff - DAY_MS - index * 60_000, 'test.old'))));
      }
      const kept = [
        await store.auditLog.append(entry(test.platform.admin.workspaceId, cutoff + 10 * 60_000, 'test.recent')),
        await store.auditLog.append(entry(other.id, cutoff + DAY_MS, 'test.recent')),
        await store.auditLog.append(entry(null, now, 'test.recent')),
      ];

      const jobId = await test.platform.jobs.enqueue(AUDIT_RETENTION_JOB, { slotAt: now }, { jobId: `audit-retention-test-${now}` });
      const result = await waitForJob(test, jobId);
      const remaining = await store.knex('audit_log').whereIn('action', ['test.old', 'test.recent']).select('id', 'occurred_at');

      expect(result.deleted).toBe(OLD_ROWS);
      expect(remaining.map((row: any) => row.id).sort()).toEqual(kept.map((row) => row.id).sort());
      expect(remaining.every((row: any) => Number(row.occurred_at) >= cutoff)).toBe(true);
    }, 60_000);

    it('keeps the API entries of today', async () => {
      const change = await test.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts' });
      expect(change.status).toBe(404);
      const before = (await test.call('GET', '/v1/audit-log?limit=200')).body.entries;

      const jobId = await test.platform.jobs.enqueue(AUDIT_RETENTION_JOB, { slotAt: Date.now() }, { jobId: `audit-retention-again-${Date.now()}` });
      const result = await waitForJob(test, jobId);
      const after = (await test.call('GET', '/v1/audit-log?limit=200')).body.entries;

      expect(result.deleted).toBe(0);
      expect(before.length).toBeGreaterThan(0);
      expect(after.map((row: any) => row.id)).toEqual(before.map((row: any) => row.id));
    });
  });
});
