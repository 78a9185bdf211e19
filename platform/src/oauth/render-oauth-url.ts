import type { ConnectorManifest } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { renderTemplate } from '../templates/index.js';

/** Returns the connection config with the manifest's `configSchema` defaults filled in, as OAuth templates see it. */
export function oauthTemplateScope(manifest: Pick<ConnectorManifest, 'connection'>, config: Readonly<Record<string, unknown>>): { config: Record<string, unknown> } {
  const defaults = Object.entries(manifest.connection.configSchema.properties)
    .filter(([, field]) => field.default !== undefined)
    .map(([name, field]) => [name, field.default]);
  // Spreading defines own properties, so a "__proto__" key in stored config stays plain data.
  return { config: { ...Object.fromEntries(defaults), ...config } };
}

/**
 * Renders an OAuth endpoint template (`authorizationUrl` or `tokenUrl`) over the connection
 * config. Raises `URL_INVALID` when the result is not an absolute http or https URL.
 */
export function renderOAuthUrl(manifest: Pick<ConnectorManifest, 'id' | 'connection'>, field: 'authorizationUrl' | 'tokenUrl', template: string, config: Readonly<Record<string, unknown>>): URL {
  const rendered = renderTemplate(template, oauthTemplateScope(manifest, config));
  if (typeof rendered === 'string' && URL.canParse(rendered)) {
    const url = new URL(rendered);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  }

  throw new LumioError(
    'URL_INVALID',
    `The ${field} of "${manifest.id}" rendered to ${JSON.stringify(rendered)}, which is not an absolute http or https URL; check the connector's ${field} and the connection config.`,
    { status: 400, fault: 'connector', details: { connector: manifest.id, field } },
  );
}
