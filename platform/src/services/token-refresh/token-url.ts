import type { ConnectorManifest } from '@lumio/plugin-sdk';
import { LumioError } from '../../errors/index.js';
import { renderTemplate } from '../../templates/index.js';
import type { OAuthMethod } from './oauth-credentials.js';

/**
 * Renders the method's `tokenUrl` template over the connection config, with the
 * manifest's config defaults filled in. Raises `URL_INVALID` when the result is not an
 * absolute http(s) URL.
 */
export function renderTokenUrl(manifest: Pick<ConnectorManifest, 'id' | 'connection'>, method: OAuthMethod, config: Readonly<Record<string, unknown>>): string {
  const defaults = Object.entries(manifest.connection.configSchema.properties)
    .filter(([, field]) => field.default !== undefined)
    .map(([name, field]) => [name, field.default]);
  // Spreading defines own properties, so a "__proto__" key in stored config stays plain data.
  const scope = { config: { ...Object.fromEntries(defaults), ...config } };

  const rendered = renderTemplate(method.tokenUrl, scope);
  if (typeof rendered === 'string' && URL.canParse(rendered) && /^https?:$/.test(new URL(rendered).protocol)) return rendered;

  throw new LumioError(
    'URL_INVALID',
    `The tokenUrl of "${manifest.id}" rendered to ${JSON.stringify(rendered)}, which is not an absolute http or https URL; check the connector's tokenUrl and the connection config.`,
    { status: 400, fault: 'connector', details: { connector: manifest.id } },
  );
}
