import type { WebhookDefinition } from '@lumio/plugin-sdk';

import type { ConnectorRegistry, LoadedConnector } from '../../connectors/index.js';
import { LumioError } from '../../errors/index.js';
import { createWarningLimiter, type LimitedWarning, type Logger } from '../../observability/index.js';
import type { Connection, NewDelivery } from '../../store/index.js';
import { getHandshake, type HandshakeReply } from '../handshakes/index.js';
import { detectContentType, readLocation, salesforceAcknowledgement, splitEvents } from '../payload/index.js';
import { getScheme } from '../schemes/index.js';
import type { VerificationResult, VerifyInput, WebhookContentType, WebhookRequest, WebhookScheme } from '../schemes/scheme-types.js';
import { isAddressAllowed, type WebhookSettingsService } from '../settings/index.js';
import type { WebhookMetrics } from '../webhook-metrics.js';
import { lookupValueOf, type ConnectionResolver } from './connection-resolver.js';
import type { EndpointRateLimiter } from './endpoint-rate-limiter.js';
import { extractEvents, type ExtractedEvent } from './extract-events.js';
import type { IntakeWriter } from './intake-writer.js';
import { parseNormalizedBody } from './normalize-body.js';
import type { PluginWebhooks } from './plugin-webhooks.js';
import { storedHeaders } from './stored-headers.js';

/** A delivery as the HTTP layer hands it over: nothing parsed, the body still unread. */
export interface IncomingDelivery {
  connectorId: string;
  /** Token path segment; absent on the connector-wide URL of providers with a payload lookup. */
  token: string | undefined;
  method: string;
  /** Path and query string exactly as received, such as `/webhooks/shopify/abc?x=1`. */
  pathAndQuery: string;
  headers: Record<string, string>;
  sourceIp: string | undefined;
  readBody(maxBytes: number): Promise<Buffer>;
}

export interface IntakeReply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface WebhookIntakeOptions {
  registry: ConnectorRegistry;
  resolver: ConnectionResolver;
  settings: WebhookSettingsService;
  writer: IntakeWriter;
  rateLimiter: EndpointRateLimiter;
  metrics: WebhookMetrics;
  /** Public base URL of the platform; signed URLs are checked against it, never against Host headers. */
  publicUrl(): string;
  maxBodyBytes: number;
  /** Called after events are stored, so a worker starts on them without waiting for its next poll. */
  onStored(connectionIds: string[]): void;
  /** Runs connector plugins' webhook hooks; without it, connectors that need them reject deliveries. */
  plugins?: PluginWebhooks;
  logger: Logger;
  now?: () => number;
}

interface Candidate {
  connection: Connection;
  /** Events of a shared URL's delivery that belong to this connection; all events otherwise. */
  filter?: (event: unknown) => boolean;
}

/**
 * Returns the id of the connection whose warm plugin realm may run hooks on this
 * delivery: the one connection of a token URL, which owns the whole delivery. A shared
 * URL's delivery may carry other accounts' events, so its hooks run in fresh realms, and
 * no connection's realm keeps what it read.
 */
function warmRealmOf(candidates: readonly Candidate[]): string | undefined {
  const [only] = candidates;
  return candidates.length === 1 && only && !only.filter ? only.connection.id : undefined;
}

/**
 * Receives provider deliveries in a fixed order: resolve the connection, check size and
 * content type, source address, endpoint rate, signature and timestamp (inside the scheme),
 * reply to handshakes, split events, drop duplicates, store, and only then send 2xx.
 */
export class WebhookIntake {
  readonly #options: WebhookIntakeOptions;
  /** A flood of forged deliveries is counted in metrics and logged once per interval. */
  readonly #warnRejected: LimitedWarning;

  constructor(options: WebhookIntakeOptions) {
    this.#options = options;
    this.#warnRejected = createWarningLimiter({ logger: options.logger, intervalMs: 10_000 });
  }

  async receive(incoming: IncomingDelivery): Promise<IntakeReply> {
    const { metrics } = this.#options;
    const connector = this.#requireWebhookConnector(incoming.connectorId);
    const definition = connector.manifest.webhooks as WebhookDefinition;
    const scheme = getScheme(definition.signature.scheme);

    try {
      return await this.#receive(incoming, connector, definition, scheme);
    } catch (error) {
      if (error instanceof LumioError && error.status < 500) {
        // Signature failures carry their own reason; other rejections are named after their code, as in `body_too_large`.
        const reason = typeof error.details.reason === 'string' ? error.details.reason : error.code.replace(/^WEBHOOK_/, '').toLowerCase();
        metrics.rejected(connector.id, reason);
        this.#warnRejected({ connectorId: connector.id, token: maskToken(incoming.token), reason, status: error.status, sourceIp: incoming.sourceIp }, 'webhook delivery rejected');
      }
      throw error;
    }
  }

  /** Responds to a GET on a webhook URL: a subscription handshake, or 405 when the manifest declares none. */
  async handshake(incoming: IncomingDelivery): Promise<IntakeReply> {
    const connector = this.#requireWebhookConnector(incoming.connectorId);
    const definition = connector.manifest.webhooks as WebhookDefinition;
    const handshake = definition.handshake ? getHandshake(definition.handshake.type) : undefined;
    if (!handshake || !incoming.token) {
      throw new LumioError('WEBHOOK_METHOD_NOT_ALLOWED', `${connector.manifest.name} webhooks accept POST only; its manifest declares no GET handshake.`, { status: 405, fault: 'caller' });
    }

    const connection = await this.#resolveByToken(connector, incoming.token);
    const settings = await this.#options.settings.get(connection.id);
    // Meta's verify token is a value of its own, while LinkedIn's challenge is signed with the client secret.
    let credentials: readonly string[] = settings.secrets;
    if (handshake.type === 'metaChallenge') credentials = settings.verifyToken === null ? [] : [settings.verifyToken];
    const reply = handshake.answerGet(this.#toRequest(incoming, Buffer.alloc(0)), credentials);
    if (reply === null) {
      throw new LumioError('WEBHOOK_METHOD_NOT_ALLOWED', 'This GET is not the subscription handshake the connector declares; deliveries are POSTed.', { status: 405, fault: 'caller' });
    }
    if ('ok' in reply) {
      this.#options.metrics.rejected(connector.id, reply.reason);
      throw verificationError(reply.reason, reply.message);
    }
    this.#options.logger.info({ connectionId: connection.id, connectorId: connector.id, handshake: handshake.type }, 'webhook handshake completed');
    return reply;
  }

  async #receive(incoming: IncomingDelivery, connector: LoadedConnector, definition: WebhookDefinition, scheme: WebhookScheme): Promise<IntakeReply> {
    const { settings, rateLimiter } = this.#options;
    const receivedAt = (this.#options.now ?? Date.now)();

    const byToken = incoming.token ? await this.#resolveByToken(connector, incoming.token) : null;

    const body = await incoming.readBody(this.#options.maxBodyBytes);
    const contentType = this.#checkContentType(incoming, definition, scheme);
    const request = this.#toRequest(incoming, body);

    // A shared URL names its account only inside the payload, so the payload is parsed to
    // find the connection and its secrets. The size cap above bounds that work.
    const parsedForLookup = byToken ? undefined : parseNormalizedBody(scheme.name, contentType, body);
    const candidates: Candidate[] = byToken ? [{ connection: byToken }] : await this.#resolveByPayload(connector, definition, request, parsedForLookup?.value);

    const warmRealm = warmRealmOf(candidates);
    const verified: Array<Candidate & { deliveryId: string | undefined }> = [];
    let failure: { reason: string; message: string } | null = null;
    for (const candidate of candidates) {
      const loaded = await settings.get(candidate.connection.id);
      if (!isAddressAllowed(loaded, incoming.sourceIp)) {
        throw new LumioError('WEBHOOK_SOURCE_FORBIDDEN', `Deliveries from ${incoming.sourceIp ?? 'an unknown address'} are not in this connection's webhook allowlist.`, { status: 403, fault: 'caller' });
      }

      const waitSeconds = rateLimiter.take(candidate.connection.id);
      if (waitSeconds > 0) {
        throw new LumioError('WEBHOOK_RATE_LIMITED', `This webhook endpoint receives too many deliveries; retry after ${waitSeconds} seconds.`, { status: 429, fault: 'caller', details: { retryAfterSeconds: waitSeconds } });
      }

      const result = await this.#verify(connector, scheme, { request, secrets: loaded.secrets, signature: definition.signature, now: receivedAt }, warmRealm);
      if (result.ok) verified.push({ ...candidate, deliveryId: result.deliveryId });
      else failure = result;
    }
    if (verified.length === 0) {
      const reason = failure ?? { reason: 'signature_mismatch', message: 'The delivery could not be verified.' };
      throw verificationError(reason.reason, reason.message);
    }

    const parsed = parsedForLookup ?? parseNormalizedBody(scheme.name, contentType, body);
    const handshakeReply = this.#answerPostHandshake(definition, parsed.value, contentType);
    if (handshakeReply) return handshakeReply;

    const plugins = connector.plugin ? this.#options.plugins : undefined;
    const pluginEvents = (await plugins?.defines(connector, 'parseWebhook')) ? await plugins?.parse(connector, request, receivedAt, warmRealm) : undefined;
    return await this.#store(incoming, connector, definition, scheme, verified, { body, contentType, parsed: parsed.value, bodyJson: parsed.jsonText, receivedAt, pluginEvents });
  }

  /**
   * Verifies with the manifest's scheme, or with the plugin's hook for the `plugin` scheme,
   * in the warm realm of `connectionId` when given.
   */
  async #verify(connector: LoadedConnector, scheme: WebhookScheme, input: VerifyInput, connectionId: string | undefined): Promise<VerificationResult> {
    if (scheme.name !== 'plugin') return scheme.verify(input);
    if (!this.#options.plugins) return scheme.verify(input);
    return await this.#options.plugins.verify(connector, input.request, input.secrets, input.now, connectionId);
  }

  async #store(
    incoming: IncomingDelivery,
    connector: LoadedConnector,
    definition: WebhookDefinition,
    scheme: WebhookScheme,
    verified: Array<Candidate & { deliveryId: string | undefined }>,
    delivery: { body: Buffer; contentType: WebhookContentType; parsed: unknown; bodyJson: string | undefined; receivedAt: number; pluginEvents: ExtractedEvent[] | undefined },
  ): Promise<IntakeReply> {
    const { writer, metrics, logger } = this.#options;
    const query = searchParamsOf(incoming.pathAndQuery);
    const headers = storedHeaders(incoming.headers);

    const writes = verified.map(async (candidate) => {
      const all = delivery.pluginEvents ?? extractEvents(definition, scheme.name, delivery.parsed, { headers: incoming.headers, query, deliveryId: candidate.deliveryId, bodyJson: delivery.bodyJson });
      const events: ExtractedEvent[] = candidate.filter ? all.filter((event) => candidate.filter?.(event.payload)) : all;
      if (events.length === 0) return { connection: candidate.connection, inserted: 0, duplicates: 0, eventIds: [] as string[] };

      const record: NewDelivery = {
        workspaceId: candidate.connection.workspaceId,
        connectionId: candidate.connection.id,
        connectorId: connector.id,
        receivedAt: delivery.receivedAt,
        method: incoming.method,
        contentType: delivery.contentType,
        headers,
        // The store hashes the body itself, so no bodySha256 is passed.
        body: delivery.body,
        sourceIp: incoming.sourceIp ?? null,
        events,
      };
      const result = await writer.write(record).catch((error: unknown) => {
        throw new LumioError('WEBHOOK_STORE_UNAVAILABLE', 'The delivery could not be stored; retry it later.', { status: 503, fault: 'platform', cause: error });
      });
      for (const event of events) if (result.inserted.some((row) => row.dedupKey === event.dedupKey)) metrics.received(connector.id, event.eventType ?? 'unknown');
      return { connection: candidate.connection, inserted: result.inserted.length, duplicates: result.duplicates.length, eventIds: result.inserted.map((row) => row.id) };
    });
    const results = await Promise.all(writes);

    const inserted = results.reduce((sum, result) => sum + result.inserted, 0);
    const duplicates = results.reduce((sum, result) => sum + result.duplicates, 0);
    const stored = results.filter((result) => result.inserted > 0).map((result) => result.connection.id);
    if (stored.length > 0) this.#options.onStored(stored);
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ connectorId: connector.id, connectionIds: results.map((r) => r.connection.id), inserted, duplicates }, 'webhook delivery stored');
    }

    if (inserted === 0 && duplicates > 0) {
      throw new LumioError('WEBHOOK_DUPLICATE', 'Every event in this delivery was already received; it is acknowledged and not processed again.', { status: 409, fault: 'caller', details: { duplicates } });
    }
    if (scheme.name === 'salesforce-outbound') return salesforceAcknowledgement();
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ received: inserted, duplicates, eventIds: results.flatMap((r) => r.eventIds) }) };
  }

  #requireWebhookConnector(connectorId: string): LoadedConnector {
    const connector = this.#options.registry.get(connectorId);
    if (!connector?.manifest.webhooks) {
      throw new LumioError('WEBHOOK_ENDPOINT_NOT_FOUND', 'No webhook endpoint exists at this URL; copy the URL from GET /v1/integrations/{id}.', { status: 404, fault: 'caller' });
    }
    return connector;
  }

  async #resolveByToken(connector: LoadedConnector, token: string): Promise<Connection> {
    const connection = await this.#options.resolver.byToken(token);
    if (!connection || connection.connectorId !== connector.id) {
      throw new LumioError('WEBHOOK_ENDPOINT_NOT_FOUND', 'No webhook endpoint exists at this URL; copy the URL from GET /v1/integrations/{id}.', { status: 404, fault: 'caller' });
    }
    if (connection.status === 'disconnected') {
      throw new LumioError('WEBHOOK_CONNECTION_DISCONNECTED', 'This webhook URL belongs to a disconnected connection; remove the subscription at the provider or connect again.', { status: 410, fault: 'caller' });
    }
    return connection;
  }

  async #resolveByPayload(connector: LoadedConnector, definition: WebhookDefinition, request: WebhookRequest, parsed: unknown): Promise<Candidate[]> {
    const lookup = definition.connectionLookup;
    if (!lookup) {
      throw new LumioError('WEBHOOK_ENDPOINT_NOT_FOUND', `${connector.manifest.name} webhooks are delivered to each connection's own URL; copy it from GET /v1/integrations/{id}.`, { status: 404, fault: 'caller' });
    }

    // Each event names its account, so one delivery may hold events of several connections.
    const query = new URL(request.url).searchParams;
    const valueOf = (event: unknown) => readLocation(lookup.from, { headers: request.headers, query, event });
    const values = new Set(splitEvents(parsed, definition.events?.path).map(valueOf).filter((value): value is string => value !== undefined));

    const candidates: Candidate[] = [];
    for (const value of values) {
      for (const connection of await this.#options.resolver.byLookupValue(connector.id, lookup, value)) {
        candidates.push({ connection, filter: (event) => valueOf(event) === lookupValueOf(connection, lookup.configField) });
      }
    }
    if (candidates.length === 0) {
      throw new LumioError('WEBHOOK_CONNECTION_NOT_FOUND', `No connection matches this delivery's ${lookup.configField}; connect the account, or set config.${lookup.configField} on its connection to the value the provider sends.`, { status: 404, fault: 'caller' });
    }
    return candidates;
  }

  #checkContentType(incoming: IncomingDelivery, definition: WebhookDefinition, scheme: WebhookScheme): WebhookContentType {
    const header = incoming.headers['content-type'];
    const detected = detectContentType(header);
    const accepted = scheme.acceptedContentTypes(definition.contentType);
    if (detected === null || !accepted.includes(detected)) {
      throw new LumioError('WEBHOOK_CONTENT_TYPE_UNSUPPORTED', `This endpoint accepts ${accepted.join(' or ')} deliveries, not "${header ?? 'no content type'}".`, { status: 415, fault: 'caller' });
    }
    return detected;
  }

  #answerPostHandshake(definition: WebhookDefinition, parsed: unknown, contentType: WebhookContentType): HandshakeReply | null {
    if (!definition.handshake) return null;
    return getHandshake(definition.handshake.type).answerPost(parsed, contentType);
  }

  #toRequest(incoming: IncomingDelivery, body: Buffer): WebhookRequest {
    const base = this.#options.publicUrl().replace(/\/+$/, '');
    return { method: incoming.method.toUpperCase(), url: `${base}${incoming.pathAndQuery}`, headers: incoming.headers, body };
  }
}

/**
 * Returns the query parameters of a request target such as `/webhooks/x/y?a=1`, as
 * `new URL(target, base).searchParams` reads them, without parsing the whole URL.
 */
export function searchParamsOf(pathAndQuery: string): URLSearchParams {
  const start = pathAndQuery.indexOf('?');
  if (start < 0) return new URLSearchParams();

  const end = pathAndQuery.indexOf('#', start);
  return new URLSearchParams(pathAndQuery.slice(start + 1, end < 0 ? undefined : end));
}

/** Keeps the first characters of an endpoint token, enough to tell endpoints apart in a log. */
export function maskToken(token: string | undefined): string | undefined {
  return token === undefined ? undefined : `${token.slice(0, 6)}…`;
}

function verificationError(reason: string, message: string): LumioError {
  return new LumioError('WEBHOOK_SIGNATURE_INVALID', message, { status: 401, fault: 'caller', details: { reason } });
}
