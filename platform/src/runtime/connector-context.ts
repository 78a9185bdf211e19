import type { HttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import type { AuthMethod, ConnectorManifest } from './manifest-types.js';

/** Everything the executor needs to run one connection's operations. */
export interface ConnectorContext {
  manifest: ConnectorManifest;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  authMethod: AuthMethod;
  http: HttpClient;
  logger: Logger;
  /** Replaces the manifest's rendered baseUrl when set, e.g. to point at a simulator. */
  baseUrl?: string;
}

/** Template variables a request may use besides `config`, which comes from the context. */
export interface RequestVariables {
  id?: string | number;
  cursor?: string | number | null;
  pageSize?: number;
  incremental?: { since: string | number; tieBreaker: string };
  params?: Record<string, unknown>;
  [name: string]: unknown;
}
