import { readFileSync } from 'node:fs';

import type { ConnectorManifest, FieldMapping } from '../../platform/src/runtime/manifest-types.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import type { TestDatabase } from '../store/databases.js';

export const TOKEN = 'field-mappings-token';

export const hubspotManifest = JSON.parse(readFileSync(new URL('../../connectors/hubspot/manifest.json', import.meta.url), 'utf8')) as ConnectorManifest;

/** Reads the manifest's default mapping of an object from the file, not through the platform. */
export function defaultMapping(object: string): FieldMapping {
  const mapping = hubspotManifest.mappings?.find((candidate) => candidate.object === object);
  if (!mapping) throw new Error(`The HubSpot manifest has no default mapping for ${object}.`);
  return structuredClone(mapping) as FieldMapping;
}

/** Builds the default contacts mapping plus a rule the default lacks: the birth date from the creation date in São Paulo. */
export function contactsWithSaoPauloDate(): FieldMapping {
  const mapping = defaultMapping('contacts');
  mapping.fields.push({ target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao_Paulo' }] });
  return mapping;
}

/** Computes the calendar date of an instant in São Paulo with Intl, independently of the platform's code. */
export function saoPauloDate(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Returns the field a 400 problem names. The OpenAPI request check names it by JSON pointer
 * ("/limit") and the route handlers by name ("limit"), and either may respond first.
 */
export function fieldOf(problem: { field?: unknown }): string {
  return String(problem.field ?? '').replace(/^\//, '');
}

export interface MappingTestSetup {
  simulator: HubSpotSimulator;
  test: TestPlatform;
  connectionId: string;
  close(): Promise<void>;
}

/** Starts a HubSpot simulator with `contacts` seeded contacts and a platform on `database`, and connects them. */
export async function startConnectedPlatform(database: TestDatabase, contacts: number): Promise<MappingTestSetup> {
  const simulator = createHubSpotSimulator({ tokens: [TOKEN], seed: { seed: 11, contacts: { count: contacts } }, rateLimit: false });
  await simulator.start();
  const test = await startTestPlatform({ store: database.storeOptions() });

  const connected = await test.call('POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: TOKEN }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
  if (connected.status !== 200) throw new Error(`Connecting HubSpot answered ${connected.status}: ${JSON.stringify(connected.body)}`);

  return {
    simulator,
    test,
    connectionId: connected.body.connectionId as string,
    async close() {
      await test.close();
      await simulator.close();
    },
  };
}
