// Builds connector contexts for the real HubSpot manifest, pointed at a local HubSpot
// simulator, the way the connection service builds them for a stored connection.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { ConnectorManifest, ListOperation, RetryPolicy } from '@lumio/plugin-sdk';

import { selectAuthMethod } from '../../../platform/src/auth/index.js';
import type { HttpClient } from '../../../platform/src/http/index.js';
import type { Logger } from '../../../platform/src/observability/index.js';
import type { ConnectorContext, RequestServices } from '../../../platform/src/runtime/index.js';

const HUBSPOT_MANIFEST_PATH = fileURLToPath(new URL('../../../connectors/hubspot/manifest.json', import.meta.url));

/** Returns a fresh copy of the HubSpot manifest, so a test may change it without affecting others. */
export function loadHubSpotManifest(): ConnectorManifest {
  return JSON.parse(readFileSync(HUBSPOT_MANIFEST_PATH, 'utf8')) as ConnectorManifest;
}

/** Returns a copy of the HubSpot manifest whose `retry` fields are replaced by `overrides`. */
export function withRetryOverrides(overrides: RetryPolicy): ConnectorManifest {
  const manifest = loadHubSpotManifest();
  manifest.retry = { ...manifest.retry, ...overrides };
  return manifest;
}

/** Returns the `contacts.list` operation of a HubSpot manifest, and raises an error when the manifest has none. */
export function contactsList(manifest: ConnectorManifest): ListOperation {
  const list = manifest.objects.contacts?.operations.list;
  if (list === undefined) throw new Error('The HubSpot manifest has no contacts.list operation.');
  return list;
}

/** Returns an id no other test run shares, for connection ids, account keys and Redis key patterns. */
export function createRunId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Derives an account key from the token as the connection service does (a hash of the
 * credentials), with the run id mixed in so concurrent runs never share a budget.
 */
export function deriveTestAccountKey(token: string, runId: string): string {
  return `hubspot:${runId}:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

export interface HubSpotContextOptions {
  manifest: ConnectorManifest;
  /** Simulator base URL, stored as the connection's `config.baseUrl`. */
  baseUrl: string;
  token: string;
  http: HttpClient;
  logger: Logger;
  connectionId: string;
  accountKey: string;
  services: RequestServices;
}

/** Builds the context of one HubSpot connection with bearer-token auth and the given shared services. */
export function buildHubSpotContext(options: HubSpotContextOptions): ConnectorContext {
  const credentials = { accessToken: options.token };
  return {
    manifest: options.manifest,
    config: { baseUrl: options.baseUrl },
    credentials,
    authMethod: selectAuthMethod(options.manifest, credentials),
    http: options.http,
    logger: options.logger,
    baseUrl: options.baseUrl,
    connectionId: options.connectionId,
    accountKey: options.accountKey,
    services: options.services,
  };
}
