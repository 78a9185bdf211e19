/** Languages the API writes problem details in. */
export type ApiLanguage = 'en' | 'pt-BR';

/** API clients that send no Accept-Language get English. */
export const DEFAULT_API_LANGUAGE: ApiLanguage = 'en';

interface LanguageRange {
  range: string;
  quality: number;
  position: number;
}

/**
 * Picks the supported language an Accept-Language header prefers (RFC 9110, section 12.5.4).
 * Ranges are tried by descending q-value, and in header order among equal ones. Any
 * Portuguese range (`pt`, `pt-BR`, `pt-PT`) selects pt-BR, the only Portuguese the API
 * writes, and `*` or no match selects English.
 */
export function negotiateLanguage(header: string | undefined | null): ApiLanguage {
  if (!header) return DEFAULT_API_LANGUAGE;

  const ranges = parseRanges(header).filter((entry) => entry.quality > 0);
  ranges.sort((left, right) => right.quality - left.quality || left.position - right.position);

  for (const { range } of ranges) {
    const primary = range.split('-')[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'en' || range === '*') return 'en';
  }
  return DEFAULT_API_LANGUAGE;
}

function parseRanges(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];

  header.split(',').forEach((part, position) => {
    const [rawRange = '', ...parameters] = part.split(';');
    const range = rawRange.trim().toLowerCase();
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(range)) return;

    let quality = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(parameter);
      // A malformed weight makes the whole range unusable, rather than silently q=1.
      if (!match) return;
      quality = Math.min(1, Number(match[1]));
    }
    ranges.push({ range, quality, position });
  });

  return ranges;
}
