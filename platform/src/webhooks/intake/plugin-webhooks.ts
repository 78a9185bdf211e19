import type { LoadedConnector } from '../../connectors/index.js';
import type { SandboxHost } from '../../sandbox/index.js';
import type { VerificationResult, WebhookRequest } from '../schemes/scheme-types.js';
import type { ExtractedEvent } from './extract-events.js';
import { dedupKeyOf } from './extract-events.js';

/** Key reference under which a plugin's `verifyWebhook` reaches the secret being tried. */
export const WEBHOOK_SECRET_KEY = 'webhookSecret';

/**
 * Runs the connector plugin's webhook hooks: `verifyWebhook` for manifests whose scheme is
 * `plugin`, and `parseWebhook` in place of the manifest's event paths when the plugin
 * defines it. The plugin receives the raw delivery but never a secret: it computes MACs with
 * `context.crypto.hmac("webhookSecret", …)`, and the host resolves the key.
 */
export class PluginWebhooks {
  readonly #sandbox: SandboxHost;

  constructor(sandbox: SandboxHost) {
    this.#sandbox = sandbox;
  }

  async defines(connector: LoadedConnector, hook: 'verifyWebhook' | 'parseWebhook'): Promise<boolean> {
    if (!connector.plugin) return false;
    const description = await this.#sandbox.describe({ id: connector.id, plugin: connector.plugin });
    return description.hooks.includes(hook);
  }

  /**
   * Calls `verifyWebhook` once per secret, newest first, and accepts the first that returns
   * true. With `connectionId`, the calls run in the realm the sandbox keeps warm for that
   * connection. Pass it only when the whole delivery belongs to that connection.
   */
  async verify(connector: LoadedConnector, request: WebhookRequest, secrets: readonly string[], receivedAt: number, connectionId?: string): Promise<VerificationResult> {
    const usable = secrets.filter((secret) => secret.length > 0);
    if (usable.length === 0) return { ok: false, reason: 'secret_missing', message: 'The connection has no webhook secret; set one with the connect call or the webhook secrets endpoint.' };
    if (!connector.plugin || !(await this.defines(connector, 'verifyWebhook'))) {
      return { ok: false, reason: 'signature_mismatch', message: `The ${connector.id} manifest verifies webhooks with its plugin, but the plugin defines no verifyWebhook hook.` };
    }

    const delivery = toPluginDelivery(request, receivedAt);
    for (const secret of usable) {
      const resolveKey = (keyRef: string) => (keyRef === WEBHOOK_SECRET_KEY ? secret : undefined);
      if (await this.#sandbox.call({ id: connector.id, plugin: connector.plugin }, 'verifyWebhook', delivery, { resolveKey, ...realmOf(connectionId) })) return { ok: true };
    }
    return { ok: false, reason: 'signature_mismatch', message: "The connector plugin's verifyWebhook hook rejected the delivery for every webhook secret." };
  }

  /** Calls `parseWebhook`, in the warm realm of `connectionId` when given, and turns its events into events to store. */
  async parse(connector: LoadedConnector, request: WebhookRequest, receivedAt: number, connectionId?: string): Promise<ExtractedEvent[]> {
    if (!connector.plugin) return [];
    const events = await this.#sandbox.call({ id: connector.id, plugin: connector.plugin }, 'parseWebhook', toPluginDelivery(request, receivedAt), realmOf(connectionId));

    return events.map((event, index) => {
      const providerEventId = event.id === undefined ? null : String(event.id);
      return { dedupKey: dedupKeyOf(providerEventId, undefined, events.length, index, event.payload), providerEventId, eventType: event.type, payload: event.payload, occurredAt: null };
    });
  }
}

function realmOf(connectionId: string | undefined): { connectionId?: string } {
  return connectionId === undefined ? {} : { connectionId };
}

function toPluginDelivery(request: WebhookRequest, receivedAt: number) {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    headers: { ...request.headers },
    query: Object.fromEntries(url.searchParams),
    rawBody: request.body.toString('utf8'),
    receivedAt: new Date(receivedAt).toISOString(),
  };
}
