import type { ApiPrincipal } from '../access/index.js';
import type { OAuthClientConfig } from '../config/index.js';
import type { ConnectionService } from '../connections/index.js';
import type { HttpClient } from '../http/index.js';
import type { Logger } from '../observability/index.js';
import type { RequestServices } from '../runtime/index.js';
import type { CredentialCipher } from '../security/index.js';
import type { Store } from '../store/index.js';
import type { Webhooks } from '../webhooks/index.js';
import type { OAuthStateSecrets } from './oauth-state-secrets.js';

export interface OAuthFlowOptions {
  store: Store;
  /** Looks up connectors; the flow saves connections itself, because OAuth connection fields go into the config unchecked by the connector's configSchema. */
  connections: Pick<ConnectionService, 'requireConnector'>;
  cipher: CredentialCipher;
  /** The platform's outbound client, whose private-network guard also covers token URLs. */
  http: HttpClient;
  /** Shared request services for the connection test; without them the test request is sent once. */
  services?: RequestServices;
  /** Webhook settings to apply after connecting, the routing cache to clear, and the platform's public URL. */
  webhooks: Pick<Webhooks, 'settings' | 'resolver' | 'publicUrl'>;
  /** Operator-configured OAuth clients, from LUMIO_OAUTH_<CONNECTOR>_CLIENT_ID and _CLIENT_SECRET. */
  clients: Readonly<Record<string, OAuthClientConfig>>;
  logger: Logger;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
}

export interface StartAuthorizationInput {
  principal: ApiPrincipal;
  connectorId: string;
  name: string;
  /** The connection a request names by id; null to connect by name. */
  connectionId: string | null;
  /** `credentials` of the connect request: only clientId and clientSecret are allowed. */
  credentials: unknown;
  config: unknown;
  /** The auth method type the request names, if any. */
  authMethod?: string;
  /** Whether to test the connection with the new tokens before saving. Default true. */
  test?: boolean;
  webhook?: OAuthStateSecrets['webhook'];
}

/** The connect response when the user must authorize in the browser. */
export interface AuthorizationStarted {
  status: 'authorization_required';
  authorizationUrl: string;
  /** The state in the URL, so a client can match the callback to this request. */
  state: string;
  /** ISO 8601; the URL and its state stop working then. */
  expiresAt: string;
}

/** Query parameters of the provider's redirect back to Lumio. */
export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/** Client details of the callback request, for the audit entry. */
export interface CallbackClient {
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
}
