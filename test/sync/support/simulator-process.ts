import { fileURLToPath } from 'node:url';

import { startSandboxProcess, type SandboxProcess } from '../../../platform/src/demo/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';

const SERVE = fileURLToPath(new URL('../../simulators/hubspot/serve.ts', import.meta.url));

/** Properties the HubSpot manifest's contact list requests, in its order. */
export const CONTACT_PROPERTIES = 'firstname,lastname,email,phone,company,jobtitle,lifecyclestage,city,state,country,createdate,lastmodifieddate,hs_object_id';

export interface SimulatorProcess {
  url: string;
  /** Delays every API response by `delayMs`, through the control API. */
  setResponseDelay(delayMs: number): Promise<void>;
  /** Requests the simulator logged (at most its last 10,000). */
  requests(): Promise<{ method: string; path: string; query: Record<string, unknown> }[]>;
  /** Reads every contact, archived or not, as the list endpoint returns it to the connector. */
  listAllContacts(): Promise<Record<string, any>[]>;
  stop(): Promise<void>;
}

/**
 * Starts the HubSpot simulator in its own process (so it keeps serving while platform
 * processes are killed), with rate limits off and the control API on.
 */
export async function startSimulatorProcess(options: { contacts: number; archived: number; token: string; seed: number }): Promise<SimulatorProcess> {
  const sandbox: SandboxProcess = await startSandboxProcess({
    entry: SERVE,
    args: ['--port', '0', '--seed', String(options.seed), '--contacts', String(options.contacts), '--archived', String(options.archived), '--token', options.token, '--no-rate-limit', '--control'],
    logger: silentLogger,
  });
  const control = async (method: string, name: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/__simulator/${name}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`The simulator control request ${method} ${name} returned ${response.status}: ${await response.text()}`);
    return (await response.json()) as any;
  };

  return {
    url: sandbox.url,
    async setResponseDelay(delayMs) {
      await control('POST', 'faults', { delayMs });
    },
    async requests() {
      return (await control('GET', 'requests')).requests;
    },
    async listAllContacts() {
      const records: Record<string, any>[] = [];
      for (const archived of ['false', 'true']) {
        let after: string | undefined;
        do {
          const query = new URLSearchParams({ limit: '100', archived, properties: CONTACT_PROPERTIES, ...(after ? { after } : {}) });
          const response = await fetch(`${sandbox.url}/crm/v3/objects/contacts?${query}`, { headers: { authorization: `Bearer ${options.token}` } });
          if (!response.ok) throw new Error(`Listing contacts from the simulator returned ${response.status}: ${await response.text()}`);
          const page = (await response.json()) as { results: Record<string, any>[]; paging?: { next?: { after?: string } } };
          records.push(...page.results);
          after = page.paging?.next?.after;
        } while (after);
      }
      return records;
    },
    stop: () => sandbox.stop(),
  };
}
