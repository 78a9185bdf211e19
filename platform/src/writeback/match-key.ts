import type { ReverseMapping } from './compile-reverse-mapping.js';

/**
 * The canonical field that identifies a record of each canonical object at a provider
 * when Lumio does not know its external id. A connection's write-back settings override it.
 */
export const DEFAULT_MATCH_FIELDS: Readonly<Record<string, string>> = {
  contact: 'email',
  customer: 'email',
  company: 'domain',
  product: 'sku',
  order: 'orderNumber',
};

/** Match field of a batch upsert: the provider field that the canonical match field is written to. */
export interface MatchKey {
  /** Canonical field, e.g. `email`. */
  canonicalField: string;
  /** Provider field it is written to, e.g. `properties.email`. */
  providerPath: string;
  /** Name of that field for the provider's `idProperty`: the last segment of the path, e.g. `email`. */
  idProperty: string;
}

/**
 * Finds the match key of a reverse mapping: the configured or default match field of its
 * canonical object, when a reverse rule writes that field. Returns undefined otherwise.
 */
export function resolveMatchKey(reverse: ReverseMapping, matchOn: Readonly<Record<string, string>>): MatchKey | undefined {
  const canonicalField = matchOn[reverse.canonicalObject] ?? DEFAULT_MATCH_FIELDS[reverse.canonicalObject];
  if (canonicalField === undefined) return undefined;

  const rule = reverse.rules.find((candidate) => candidate.canonicalPath === canonicalField && candidate.externalIdOf === undefined);
  if (!rule) return undefined;
  return { canonicalField, providerPath: rule.providerPath, idProperty: rule.providerPath.split('.').at(-1) as string };
}

/** Compares match values the way providers compare unique properties such as e-mail addresses: case-insensitively. */
export function normalizeMatchValue(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value.trim().toLowerCase();
}
