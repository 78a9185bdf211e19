import type { WebhookDefinition } from '@lumio/plugin-sdk';

import type { LoadedConnector } from '../../connectors/index.js';
import { LumioError } from '../../errors/index.js';
import type { Connection, Store, StoredWebhookEvent } from '../../store/index.js';
import { getScheme } from '../schemes/index.js';
import type { LoadedWebhookSettings } from '../settings/index.js';
import { webhookUrlFor } from '../webhook-url.js';
import { buildSampleDelivery } from './build-sample.js';

export interface TestDeliveryResult {
  /** The router's HTTP status and body, as a provider would have seen them. */
  response: { status: number; body: unknown };
  /** The stored events after the worker had up to `waitMs` to process them. */
  events: StoredWebhookEvent[];
}

/**
 * Signs a sample delivery with the connection's newest secret, sends it to the platform's
 * own webhook URL through `dispatch` (the platform's HTTP handler, in process), and waits
 * briefly for the worker to process the stored events.
 */
export async function sendTestDelivery(options: {
  connector: LoadedConnector;
  connection: Connection;
  settings: LoadedWebhookSettings;
  publicUrl: string;
  store: Store;
  dispatch(request: Request): Promise<Response>;
  request: { eventType?: string; payload?: unknown };
  waitMs?: number;
}): Promise<TestDeliveryResult> {
  const { connector, connection, settings } = options;
  const definition = connector.manifest.webhooks as WebhookDefinition;
  const secret = settings.secrets[0];
  if (!secret) {
    throw new LumioError('WEBHOOK_SECRET_MISSING', 'This connection has no webhook secret to sign a test delivery with; set one with PUT /v1/integrations/{id}/webhooks/secrets.', { status: 409, fault: 'caller' });
  }

  const url = webhookUrlFor(options.publicUrl, connector.manifest, connection) as string;
  const sample = buildSampleDelivery(connector.manifest, connection, options.request);
  const signed = getScheme(definition.signature.scheme).sign({ secret, method: 'POST', url, body: sample.body, now: Date.now(), id: sample.eventId, signature: definition.signature });

  const response = await options.dispatch(
    new Request(signed.url, { method: 'POST', headers: { 'content-type': sample.contentType, ...sample.headers, ...signed.headers }, body: sample.body }),
  );
  const text = await response.text();
  const body = parseBody(text);

  const eventIds = Array.isArray((body as { eventIds?: unknown }).eventIds) ? ((body as { eventIds: string[] }).eventIds) : [];
  const events = await waitForProcessing(options.store, connection.workspaceId, eventIds, options.waitMs ?? 5_000);
  return { response: { status: response.status, body }, events };
}

async function waitForProcessing(store: Store, workspaceId: string, eventIds: string[], waitMs: number): Promise<StoredWebhookEvent[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const events = (await Promise.all(eventIds.map((id) => store.webhookEvents.get(workspaceId, id)))).filter((event): event is StoredWebhookEvent => event !== null);
    const pending = events.some((event) => event.status === 'received' || event.status === 'processing');
    if (!pending || Date.now() >= deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
