import type { ConnectionService } from '../connections/index.js';
import type { ConnectorRegistry } from '../connectors/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { OutgoingEvents } from '../events/index.js';
import type { Logger } from '../observability/index.js';
import type { PlatformMetrics } from '../observability/metrics/index.js';
import type { OAuthConnectFlow } from '../oauth/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import type { Store } from '../store/index.js';
import type { SharedServices } from '../services/pipeline/index.js';
import type { SyncService } from '../sync/index.js';
import type { Webhooks } from '../webhooks/index.js';
import type { WritebackService } from '../writeback/index.js';
import type { ApiPrincipal } from './auth.js';

/** Services the route handlers use. */
export interface ApiServices {
  store: Store;
  registry: ConnectorRegistry;
  connections: ConnectionService;
  /** Starts sync runs on the job queue and previews them. */
  sync: SyncService;
  /** Rate limiter, breakers and cache, whose state the health endpoint shows. */
  shared: SharedServices;
  /** Webhook intake, settings, worker and counters. */
  webhooks: Webhooks;
  /** Subscriptions to Lumio's own events and the dispatcher that sends them. */
  events: OutgoingEvents;
  /** Accepts canonical records to write to providers and reports the outcomes. */
  writeback: WritebackService;
  /** Runs connector plugins, for plugin actions. */
  plugins: SandboxHost;
  /** OAuth authorization code flows started by connect and finished at `/v1/oauth/callback`. */
  oauth: OAuthConnectFlow;
  /** The Prometheus registry that `GET /metrics` renders, and whose totals `/health` reports. */
  metrics: Pick<PlatformMetrics, 'render' | 'registry'>;
  /** The job queue, whose backend `/health` checks. */
  jobs: Pick<JobQueue, 'backend' | 'ping'>;
  logger: Logger;
}

export type ApiEnv = { Variables: { principal: ApiPrincipal; requestId: string } };
