import type { IntegrationSummary } from '../api/types.js';
import type { I18n } from '../i18n/i18n.js';

/**
 * Returns the catalogue's name of a connector category. A category the catalogue does not
 * know yet (a newer connector) reads as its key with spaces and a capital, such as "Field service".
 */
export function categoryLabel(i18n: I18n, category: string): string {
  const words = category.replace(/[_-]+/g, ' ').trim();
  const readable = words.charAt(0).toUpperCase() + words.slice(1);
  return i18n.tOr(`category.${category}`, readable);
}

/** Returns the connector's name, followed by the connection's name when the admin gave it another one. */
export function connectionTitle(i18n: I18n, integration: Pick<IntegrationSummary, 'name' | 'connectionName'>): string {
  const { name, connectionName } = integration;
  if (!connectionName || connectionName === name) return name;
  return i18n.t('mapping.breadcrumb', { connector: name, connection: connectionName });
}
