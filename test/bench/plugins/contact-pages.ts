import { createHubSpotSimulator } from '../../simulators/hubspot/index.js';

/** Records per page, the most a HubSpot CRM list request returns (limit=100). */
export const PAGE_SIZE = 100;

/** Builds 20 pages of HubSpot-like contacts from a fixed seed, so every process of a run transforms the same data. */
export function buildContactPages(): unknown[][] {
  const simulator = createHubSpotSimulator({ tokens: [], seed: { seed: 3, contacts: { count: 20 * PAGE_SIZE } }, rateLimit: false });
  const contacts = simulator.store.list('contacts');
  const pages: unknown[][] = [];
  for (let start = 0; start + PAGE_SIZE <= contacts.length; start += PAGE_SIZE) pages.push(contacts.slice(start, start + PAGE_SIZE));
  return pages;
}
