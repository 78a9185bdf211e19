import { pathParameter } from '../builders.js';

/** `{id}` of every `/v1/integrations/{id}/...` path. */
export const integrationId = pathParameter(
  'id',
  'A connection id (`conn_…`) or a connector id (`hubspot`). A connector id names the workspace\'s only connection to that connector; with several, use the connection id.',
  'hubspot',
);
