/** Formats epoch milliseconds as ISO 8601 in UTC with milliseconds, e.g. "2024-05-01T08:30:00.000Z". */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

const EPOCH_DIGITS = /^-?\d+$/;
// Date-only or date-time ISO 8601. A missing zone is read as UTC.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses a datetime as HubSpot accepts it in filters and property values: epoch
 * milliseconds (as a string or number) or ISO 8601. Returns epoch milliseconds, or
 * undefined when the text is neither.
 */
export function parseDatetime(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? Math.trunc(value) : undefined;
  }

  const text = value.trim();
  if (EPOCH_DIGITS.test(text)) {
    return Number(text);
  }
  if (!ISO_8601.test(text)) {
    return undefined;
  }

  let normalized = text.replace(' ', 'T');
  if (text.length === 10) {
    normalized = `${text}T00:00:00Z`;
  } else if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    normalized = `${normalized}Z`;
  }
  const parsed = Date.parse(normalized);
  return Number.isNaN(parsed) ? undefined : parsed;
}
