import type { PlatformProcess } from '../../webhooks/crash/platform-process.js';

/** Time a full sync may take. A few thousand contacts take seconds, so this only bounds a stuck run. */
const SYNC_TIMEOUT_MS = 180_000;
const POLL_INTERVAL_MS = 250;

interface RunView {
  id: string;
  status: string;
  counts: { read: number; inserted: number };
  error: { code: string; message: string } | null;
}

/**
 * Connects HubSpot to the simulator at `simulatorUrl`, runs a full contacts sync and waits
 * for it to succeed. Returns the number of contacts the run inserted.
 */
export async function syncHubSpotContacts(platform: PlatformProcess, simulatorUrl: string, token: string): Promise<number> {
  // providerOnly: the simulator runs without limits, so the manifest's HubSpot budget would only slow the setup.
  const connect = await platform.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: token }, config: { baseUrl: simulatorUrl, rateLimits: 'providerOnly' }, test: false });
  if (connect.status !== 200) throw new Error(`POST /v1/integrations/hubspot/connect returned ${connect.status}: ${JSON.stringify(connect.body)}`);

  const started = await platform.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
  if (started.status !== 202) throw new Error(`POST /v1/integrations/hubspot/sync returned ${started.status}: ${JSON.stringify(started.body)}`);
  const runId = (started.body as RunView).id;

  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await platform.call('GET', '/v1/integrations/hubspot/status');
    if (status.status !== 200) throw new Error(`GET /v1/integrations/hubspot/status returned ${status.status}: ${JSON.stringify(status.body)}`);

    const run = (status.body.lastRuns as Record<string, RunView>).contacts;
    if (run?.id === runId && run.status === 'succeeded') return run.counts.inserted;
    if (run?.id === runId) throw new Error(`The contacts sync ended as ${run.status}: ${JSON.stringify(run.error)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`The contacts sync ${runId} did not finish within ${SYNC_TIMEOUT_MS / 1000} s.`);
}
