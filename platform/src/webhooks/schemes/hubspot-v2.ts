import { createHubSpotHashScheme } from './hubspot-hash.js';
import type { WebhookScheme } from './scheme-types.js';

/**
 * HubSpot signature v2: hex SHA-256 of the client secret, the HTTP method, the full URL exactly
 * as HubSpot addressed it (protocol and query string included), and the raw body.
 */
export const hubspotV2Scheme: WebhookScheme = createHubSpotHashScheme('hubspot-v2', 'v2', (request) => [
  request.method,
  request.url,
  request.body,
]);
