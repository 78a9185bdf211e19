import type { Transform } from '@lumio/plugin-sdk';

// The inverse of each field-mapping transform, for writing a canonical value back in the
// provider's form. An inverse is itself a forward transform where one exists, so the
// mapping engine runs it. The inverse only has to map back to the same canonical value,
// not to the provider's original text, so a reversed valueMap writes one of the provider
// values that map to the canonical one.

export type InvertedTransform =
  /** The canonical value is written unchanged. */
  | { kind: 'identity' }
  /** The canonical value is converted by this transform. */
  | { kind: 'transform'; transform: Transform }
  /** The canonical value is a Lumio record id, written as that record's external id. */
  | { kind: 'externalId'; canonicalObject: string }
  /** No inverse exists; `reason` completes "the rule is not written back because …". */
  | { kind: 'none'; reason: string };

type DateFormat = 'iso8601' | 'date' | 'epochMilliseconds' | 'epochSeconds' | 'localDateTime';

/**
 * Returns the inverse of one transform. Transforms that only normalise a value (trim,
 * case, convert, default) leave an already normalised canonical value unchanged, so their
 * inverse writes it as it is.
 */
export function invertTransform(transform: Transform): InvertedTransform {
  switch (transform.type) {
    case 'trim':
    case 'case':
    case 'convert':
    case 'default':
      return { kind: 'identity' };

    case 'date':
      return { kind: 'transform', transform: invertDate(transform.from, transform.to, transform.timeZone) };

    case 'valueMap':
      return { kind: 'transform', transform: { type: 'valueMap', map: invertValueMap(transform.map), otherwise: transform.otherwise ?? 'keep' } };

    case 'split':
      if (transform.index !== undefined) return { kind: 'none', reason: 'its split transform keeps one part and drops the others' };
      return { kind: 'transform', transform: { type: 'concat', separator: transform.separator } };

    case 'lookup':
      if (transform.field !== undefined) return { kind: 'none', reason: 'its lookup transform reads a field of another record' };
      return { kind: 'externalId', canonicalObject: transform.canonicalObject };

    case 'concat':
      return { kind: 'none', reason: 'its concat transform joins several values into one' };

    default:
      return { kind: 'none', reason: `its ${(transform as { type?: unknown }).type as string} transform has no inverse` };
  }
}

/** Swaps the formats of a date transform; a local date-time is read back as ISO 8601 without an offset in the same zone. */
function invertDate(from: string, to: DateFormat, timeZone: string | undefined): Transform {
  const inverseFrom = to === 'localDateTime' ? 'iso8601' : to;
  const inverse: Transform = { type: 'date', from: inverseFrom, to: from as Exclude<DateFormat, 'localDateTime'> };
  if (timeZone !== undefined) inverse.timeZone = timeZone;
  return inverse;
}

/**
 * Inverts a value table. Each canonical value maps to the provider value equal to it when
 * the table has one, else to the smallest in code-unit order, so the choice does not
 * depend on the key order the database kept (PostgreSQL's jsonb sorts keys). Canonical
 * values that are null have no provider value to write and are left out.
 */
function invertValueMap(map: Record<string, string | number | boolean | null>): Record<string, string> {
  const inverse: Record<string, string> = {};
  for (const [providerValue, canonicalValue] of Object.entries(map)) {
    if (canonicalValue === null) continue;
    const key = String(canonicalValue);
    const chosen = Object.hasOwn(inverse, key) ? inverse[key] : undefined;
    const better = chosen === undefined || (chosen !== key && (providerValue === key || providerValue < chosen));
    if (better) inverse[key] = providerValue;
  }
  return inverse;
}
