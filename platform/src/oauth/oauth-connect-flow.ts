import type { OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { findAuthorizationToStart } from './authorization-method.js';
import { completeAuthorization, type CallbackOutcome } from './complete-authorization.js';
import type { AuthorizationStarted, CallbackClient, CallbackQuery, OAuthFlowOptions, StartAuthorizationInput } from './flow-options.js';
import { startAuthorization } from './start-authorization.js';

/** Starts OAuth authorization code flows for connect requests and finishes them at the callback. */
export class OAuthConnectFlow {
  readonly #options: OAuthFlowOptions;

  constructor(options: OAuthFlowOptions) {
    this.#options = options;
  }

  /**
   * Returns true when a connect request to `connectorId` should start the browser flow:
   * the connector has an authorization code method, and the request carries no tokens and
   * no credentials of another method. Unknown connectors return false, so the ordinary
   * connect reports them.
   */
  startsAuthorization(connectorId: string, credentials: unknown, authMethod: string | undefined): boolean {
    return this.#method(connectorId, credentials, authMethod) !== null;
  }

  /** Starts the flow; see `startAuthorization`. Raises `AUTH_METHOD_UNSUPPORTED` when `startsAuthorization` is false. */
  start(input: StartAuthorizationInput): Promise<AuthorizationStarted> {
    const method = this.#method(input.connectorId, input.credentials, input.authMethod);
    if (!method) {
      throw new LumioError('AUTH_METHOD_UNSUPPORTED', `Connecting ${input.connectorId} with these credentials does not use the OAuth authorization flow.`, { status: 400, fault: 'caller' });
    }
    return startAuthorization(this.#options, method, input);
  }

  /** Finishes the flow at the provider's redirect; see `completeAuthorization`. A bad callback becomes a redirect with an error code; only a database failure raises. */
  complete(query: CallbackQuery, client: CallbackClient): Promise<CallbackOutcome> {
    return completeAuthorization(this.#options, query, client);
  }

  #method(connectorId: string, credentials: unknown, authMethod: string | undefined): OAuth2AuthorizationCodeAuth | null {
    let manifest;
    try {
      manifest = this.#options.connections.requireConnector(connectorId).manifest;
    } catch {
      return null;
    }
    return findAuthorizationToStart(manifest, credentials, authMethod);
  }
}
