/** Fields of an ISO 8601 date or date-time; `offsetMs` is undefined when the text has no offset. */
export interface IsoDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMs: number | undefined;
}

/**
 * Scans an ISO 8601 date or date-time: YYYY-MM-DD, then optionally "T" or a space,
 * HH:mm, :ss, a fraction of up to 9 digits (kept to milliseconds) and an offset ("Z",
 * "+02:00", "-0300", "+02"). Returns undefined for any other text. Ranges (month 13,
 * February 30) are not checked here. Hand-written because it runs for every date field
 * of every record, where a regular expression with capture groups was the hot spot.
 */
export function scanIsoDateTime(text: string): IsoDateTime | undefined {
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] !== '-' || text[7] !== '-') return undefined;

  const result: IsoDateTime = { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMs: undefined };
  if (text.length === 10) return result;

  const separator = text[10];
  result.hour = readDigits(text, 11, 2);
  result.minute = readDigits(text, 14, 2);
  if (separator !== 'T' && separator !== 't' && separator !== ' ') return undefined;
  if (result.hour < 0 || result.minute < 0 || text[13] !== ':') return undefined;

  let index = 16;
  if (text[index] === ':') {
    result.second = readDigits(text, index + 1, 2);
    if (result.second < 0) return undefined;
    index += 3;

    if (text[index] === '.' || text[index] === ',') {
      const start = index + 1;
      index = start;
      while (index < text.length && isDigit(text.charCodeAt(index))) index += 1;
      const length = index - start;
      if (length === 0 || length > 9) return undefined;
      result.millisecond = readDigits(text.slice(start, Math.min(index, start + 3)).padEnd(3, '0'), 0, 3);
    }
  }

  if (index === text.length) return result;
  result.offsetMs = readOffset(text, index);
  return result.offsetMs === undefined ? undefined : result;
}

/** Reads "Z", "±HH", "±HHmm" or "±HH:mm" running to the end of the text, in milliseconds. */
function readOffset(text: string, index: number): number | undefined {
  const sign = text[index];
  if ((sign === 'Z' || sign === 'z') && index + 1 === text.length) return 0;
  if (sign !== '+' && sign !== '-') return undefined;

  const hours = readDigits(text, index + 1, 2);
  const hasMinutes = text.length > index + 3;
  const minuteStart = text[index + 3] === ':' ? index + 4 : index + 3;
  const minutes = hasMinutes ? readDigits(text, minuteStart, 2) : 0;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  if (hasMinutes && minuteStart + 2 !== text.length) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** Reads `count` decimal digits at `start`; -1 when any is missing or not a digit. */
function readDigits(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1;
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
