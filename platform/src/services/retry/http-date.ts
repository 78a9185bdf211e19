// HTTP-date formats of RFC 9110 section 5.6.7. Recipients must accept all three, and
// the time is always UTC.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// "Sun, 06 Nov 1994 08:49:37 GMT"
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
// "Sunday, 06-Nov-94 08:49:37 GMT" (obsolete)
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
  'i',
);
// "Sun Nov  6 08:49:37 1994" (obsolete C asctime format)
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

const FIFTY_YEARS_MS = 50 * 365.25 * 24 * 60 * 60 * 1000;

interface DateParts {
  year: number;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

/**
 * Parses an HTTP-date in any of the three RFC 9110 formats and returns epoch
 * milliseconds, or `undefined` when the text is not a valid HTTP-date. The weekday is
 * not checked against the date. `nowMs` places the two-digit year of the RFC 850 format.
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
  const value = text.trim();

  const fixdate = IMF_FIXDATE.exec(value);
  if (fixdate) {
    const [, day, month, year, hour, minute, second] = fixdate as unknown as string[];
    return toEpochMs({ year: Number(year), month: month!, day: day!, hour: hour!, minute: minute!, second: second! });
  }

  const rfc850 = RFC850_DATE.exec(value);
  if (rfc850) {
    const [, day, month, shortYear, hour, minute, second] = rfc850 as unknown as string[];
    const parts = { month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
    return placeTwoDigitYear(Number(shortYear), nowMs, (year) => toEpochMs({ ...parts, year }));
  }

  const asctime = ASCTIME_DATE.exec(value);
  if (asctime) {
    const [, month, day, hour, minute, second, year] = asctime as unknown as string[];
    return toEpochMs({ year: Number(year), month: month!, day: day!.trim(), hour: hour!, minute: minute!, second: second! });
  }
  return undefined;
}

// RFC 9110: a two-digit year that appears more than 50 years in the future means the
// most recent past year with the same last two digits.
function placeTwoDigitYear(shortYear: number, nowMs: number, build: (year: number) => number | undefined): number | undefined {
  const century = Math.floor(new Date(nowMs).getUTCFullYear() / 100) * 100;
  const candidate = build(century + shortYear);
  if (candidate === undefined) return undefined;
  return candidate - nowMs > FIFTY_YEARS_MS ? build(century - 100 + shortYear) : candidate;
}

function toEpochMs(parts: DateParts): number | undefined {
  const monthIndex = MONTHS.indexOf(parts.month.toLowerCase());
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  // RFC 9110 allows a leap second (60), and Date.UTC rolls it into the next minute.
  const second = Number(parts.second);
  if (monthIndex < 0 || hour > 23 || minute > 59 || second > 60) return undefined;

  // Date.UTC rolls "31 Feb" into March, so a day that does not survive the round trip is invalid.
  if (new Date(Date.UTC(parts.year, monthIndex, day)).getUTCDate() !== day) return undefined;
  return Date.UTC(parts.year, monthIndex, day, hour, minute, second);
}
