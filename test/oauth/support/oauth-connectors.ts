import type { ConnectorManifest, OAuth2AuthorizationCodeAuth } from '@lumio/plugin-sdk';

import { CONTACTS_PATH, RESOURCE_PATH } from '../../simulators/oauth/index.js';

/** Connector with PKCE, the client from the connect request, and a base URL read from the token response's `instance_url`. */
export const PKCE_CONNECTOR = 'oauth-pkce';
/** Connector without PKCE, with HTTP Basic client authentication and the client from the operator's environment. */
export const BASIC_CONNECTOR = 'oauth-basic';

export const PKCE_CLIENT = { clientId: 'lumio-pkce-client', clientSecret: 'pkce-client-secret-value' };
export const OPERATOR_CLIENT = { clientId: 'lumio-operator-client', clientSecret: 'operator-client-secret-value' };

/**
 * Builds the two fixture connectors around the OAuth simulator at `simulatorUrl`. Both read
 * contacts from the simulator's `/api/contacts` and test connections with `/api/me`.
 */
export function oauthConnectorManifests(simulatorUrl: string): ConnectorManifest[] {
  const pkceAuth: OAuth2AuthorizationCodeAuth = {
    type: 'oauth2AuthorizationCode',
    authorizationUrl: `${simulatorUrl}/oauth/authorize`,
    tokenUrl: `${simulatorUrl}/oauth/token`,
    scopes: ['contacts.read', 'profile'],
    pkce: true,
    extraAuthorizationParams: { access_type: 'offline' },
    connectionFields: ['instance_url'],
    refresh: { refreshBeforeSeconds: 300 },
  };
  const basicAuth: OAuth2AuthorizationCodeAuth = {
    type: 'oauth2AuthorizationCode',
    authorizationUrl: `${simulatorUrl}/oauth/authorize`,
    tokenUrl: `${simulatorUrl}/oauth/token`,
    scopes: ['contacts.read'],
    pkce: false,
    clientAuthentication: 'basic',
    refresh: {},
  };

  return [
    contactsConnector(PKCE_CONNECTOR, '{{ config.instance_url }}', [pkceAuth]),
    contactsConnector(BASIC_CONNECTOR, simulatorUrl, [{ type: 'bearer' }, basicAuth]),
  ];
}

function contactsConnector(id: string, baseUrl: string, auth: ConnectorManifest['auth']): ConnectorManifest {
  return {
    manifestVersion: 1,
    id,
    name: `Fixture ${id}`,
    version: '1.0.0',
    category: 'crm',
    description: `Fixture connector ${id} for the OAuth connect tests.`,
    connection: {
      configSchema: { type: 'object', properties: {} },
      baseUrl,
      test: { request: { method: 'GET', path: RESOURCE_PATH } },
    },
    auth,
    objects: {
      contacts: {
        label: 'Contacts',
        description: 'Contacts of the OAuth simulator.',
        recordSchema: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' }, firstName: { type: 'string' } } },
        primaryKey: 'id',
        operations: { list: { method: 'GET', path: CONTACTS_PATH, recordSelector: { path: 'results' } } },
      },
    },
    mappings: [
      {
        object: 'contacts',
        canonicalObject: 'contact',
        fields: [
          { target: 'fullName', source: 'firstName' },
          { target: 'firstName', source: 'firstName' },
          { target: 'email', source: 'email' },
        ],
      },
    ],
  };
}
