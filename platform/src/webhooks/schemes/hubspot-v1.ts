import { createHubSpotHashScheme } from './hubspot-hash.js';
import type { WebhookScheme } from './scheme-types.js';

/** HubSpot signature v1 (CRM object webhooks): hex SHA-256 of the client secret followed by the raw body. */
export const hubspotV1Scheme: WebhookScheme = createHubSpotHashScheme('hubspot-v1', 'v1', (request) => [request.body]);
