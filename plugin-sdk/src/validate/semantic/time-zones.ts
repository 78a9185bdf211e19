import { suggestClosest } from '../levenshtein.js';

let knownZones: Set<string> | undefined;

/**
 * Returns whether `name` is in Intl.supportedValuesOf('timeZone') or is "UTC", which that
 * list leaves out. The list has canonical IANA names only, so links such as "Brazil/East"
 * are rejected even though Intl.DateTimeFormat accepts them.
 */
export function isKnownTimeZone(name: string): boolean {
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return knownZones.has(name);
}

/** Returns the known zone closest to `name`, e.g. "America/Sao_Paulo" for "america/sao paulo". */
export function suggestTimeZone(name: string): string | undefined {
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  const normalized = name.trim().replaceAll(' ', '_').toLowerCase();
  for (const zone of knownZones) {
    if (zone.toLowerCase() === normalized) return zone;
  }
  return suggestClosest(name, knownZones);
}
