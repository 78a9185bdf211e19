import { LumioError } from '../../errors/index.js';

/** A parsed five-field cron expression, evaluated in UTC with minute resolution. */
export interface CronExpression {
  readonly source: string;
  /** Returns the latest matching minute at or before `atMs` (epoch milliseconds), or null when none is within the search horizon. */
  previous(atMs: number): number | null;
  /** Returns the first matching minute strictly after `afterMs` (epoch milliseconds), or null when none is within the search horizon. */
  next(afterMs: number): number | null;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * Days searched in each direction: 28 years, the cycle after which 29 February falls on the
 * same weekday again (within a century), so an expression that matches only a leap day on
 * one weekday is still found. Common expressions match within a day or two.
 */
const SEARCH_DAYS = 28 * 366;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday too, as in Vixie cron; it is folded into 0 below.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function invalid(source: string, problem: string): LumioError {
  return new LumioError('SCHEDULE_INVALID', `The cron expression "${source.slice(0, 100)}" is invalid: ${problem}. Use five fields in UTC: minute hour day-of-month month day-of-week, such as "0 3 * * 1-5".`, {
    status: 400,
    fault: 'caller',
    details: { field: 'cron' },
  });
}

function readValue(text: string, spec: FieldSpec, source: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;

  if (!/^\d{1,2}$/.test(text)) throw invalid(source, `"${text}" is not a number or name in the ${spec.name} field`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) throw invalid(source, `${value} is outside ${spec.min}-${spec.max} in the ${spec.name} field`);
  return value;
}

/** Returns the set of values one field allows, as a boolean table indexed by value. */
function parseField(text: string, spec: FieldSpec, source: string): boolean[] {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);

  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (range === '' || extra !== undefined) throw invalid(source, `"${item}" is not a value, range or step in the ${spec.name} field`);

    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) throw invalid(source, `the step "${stepText}" in the ${spec.name} field must be a number from 1 to 99`);
      step = Number(stepText);
    }

    let low: number;
    let high: number;
    if (range === '*') {
      low = spec.min;
      high = spec.max;
    } else if (range.includes('-')) {
      const [lowText = '', highText = '', more] = range.split('-');
      if (more !== undefined) throw invalid(source, `"${range}" is not a range in the ${spec.name} field`);
      low = readValue(lowText, spec, source);
      high = readValue(highText, spec, source);
      if (low > high) throw invalid(source, `the range ${range} in the ${spec.name} field runs backwards`);
    } else {
      low = readValue(range, spec, source);
      // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
      high = stepText === undefined ? low : spec.max;
    }

    for (let value = low; value <= high; value += step) allowed[value] = true;
  }
  return allowed;
}

function valuesOf(allowed: boolean[]): number[] {
  return allowed.flatMap((isAllowed, value) => (isAllowed ? [value] : []));
}

/**
 * Parses a cron expression: minute, hour, day of month, month and day of week, in UTC.
 * Each field takes `*`, numbers, ranges (`1-5`), lists (`1,15`), steps (`*\/15`, `0-30/10`)
 * and, for months and days of the week, English three-letter names. The macros @hourly,
 * @daily, @midnight, @weekly, @monthly, @yearly and @annually are accepted. As in Vixie
 * cron, when both day fields are restricted (neither starts with `*`), a day matches when
 * either does. Raises SCHEDULE_INVALID (400) for a malformed expression or one that never
 * matches, such as 30 February.
 */
export function parseCronExpression(expression: string): CronExpression {
  const source = expression.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const texts = expanded.split(/\s+/);
  if (texts.length !== 5) throw invalid(source, `it has ${texts.length} fields, not 5 (seconds are not supported)`);

  const [minutes, hours, days, months, weekdays] = texts.map((text, index) => parseField(text, FIELDS[index] as FieldSpec, source)) as [boolean[], boolean[], boolean[], boolean[], boolean[]];
  if (weekdays[7]) weekdays[0] = true;
  const dayOfMonthRestricted = !(texts[2] as string).startsWith('*');
  const dayOfWeekRestricted = !(texts[4] as string).startsWith('*');

  const minuteValues = valuesOf(minutes);
  const hourValues = valuesOf(hours);

  const dayMatches = (dayStartMs: number): boolean => {
    const date = new Date(dayStartMs);
    if (!months[date.getUTCMonth() + 1]) return false;

    const byMonthDay = days[date.getUTCDate()] === true;
    const byWeekday = weekdays[date.getUTCDay()] === true;
    if (dayOfMonthRestricted && dayOfWeekRestricted) return byMonthDay || byWeekday;
    return byMonthDay && byWeekday;
  };

  /** Latest matching minute of the day at or before `limitMinute` (minutes since midnight), or null. */
  const latestInDay = (limitMinute: number): number | null => {
    for (let index = hourValues.length - 1; index >= 0; index -= 1) {
      const hour = hourValues[index] as number;
      if (hour * 60 > limitMinute) continue;
      const maxMinute = Math.min(59, limitMinute - hour * 60);
      const minute = minuteValues.findLast((value) => value <= maxMinute);
      if (minute !== undefined) return hour * 60 + minute;
    }
    return null;
  };

  /** First matching minute of the day at or after `fromMinute`, or null. */
  const firstInDay = (fromMinute: number): number | null => {
    for (const hour of hourValues) {
      if (hour * 60 + 59 < fromMinute) continue;
      const minMinute = Math.max(0, fromMinute - hour * 60);
      const minute = minuteValues.find((value) => value >= minMinute);
      if (minute !== undefined) return hour * 60 + minute;
    }
    return null;
  };

  const cron: CronExpression = {
    source,
    previous(atMs) {
      const atMinuteMs = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
      let dayStart = Math.floor(atMinuteMs / DAY_MS) * DAY_MS;
      let limit = (atMinuteMs - dayStart) / MINUTE_MS;

      for (let day = 0; day <= SEARCH_DAYS; day += 1) {
        if (dayMatches(dayStart)) {
          const minute = latestInDay(limit);
          if (minute !== null) return dayStart + minute * MINUTE_MS;
        }
        dayStart -= DAY_MS;
        limit = 24 * 60 - 1;
      }
      return null;
    },
    next(afterMs) {
      const fromMinuteMs = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      let dayStart = Math.floor(fromMinuteMs / DAY_MS) * DAY_MS;
      let from = (fromMinuteMs - dayStart) / MINUTE_MS;

      for (let day = 0; day <= SEARCH_DAYS; day += 1) {
        if (dayMatches(dayStart)) {
          const minute = firstInDay(from);
          if (minute !== null) return dayStart + minute * MINUTE_MS;
        }
        dayStart += DAY_MS;
        from = 0;
      }
      return null;
    },
  };

  // 2001-01-01 starts a 400-year Gregorian cycle well inside both searches, so an
  // expression without a match from there never matches at all.
  if (cron.next(Date.UTC(2001, 0, 1)) === null) throw invalid(source, 'no date ever matches it');
  return cron;
}
