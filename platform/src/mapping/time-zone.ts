/** Calendar date and wall-clock time, without a zone. Months are 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Tells whether `timeZone` is an IANA zone name that this runtime's Intl data supports. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    getFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Returns the wall time shown in `timeZone` at an instant (epoch milliseconds). */
export function toWallTime(epochMs: number, timeZone: string): WallTime {
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  if (timeZone === 'UTC') return utcWallTime(epochMs);

  const fields: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
    millisecond,
  };
}

/**
 * Converts a wall time in `timeZone` to an instant. A wall time that a DST change
 * skipped moves forward by the gap, so 00:30 on a spring-forward midnight becomes
 * 01:30. A wall time that occurred twice takes the earlier instant. Temporal's
 * "compatible" disambiguation follows the same rule.
 */
export function fromWallTime(wall: WallTime, timeZone: string): number {
  const asUtc = wallTimeAsUtc(wall);
  if (timeZone === 'UTC') return asUtc;

  // Any DST change near this wall time lies between the offsets a day before and after.
  const offsetBefore = offsetAt(asUtc - DAY_MS, timeZone);
  const offsetAfter = offsetAt(asUtc + DAY_MS, timeZone);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter].filter(
    (instant) => offsetAt(instant, timeZone) === asUtc - instant,
  );
  if (candidates.length > 0) return Math.min(...candidates);

  // Skipped wall time: read it with the offset in force before the change, which lands after the gap.
  return asUtc - offsetBefore;
}

/** Treats a wall time as if it were UTC, giving epoch milliseconds. The fields must be in range. */
export function wallTimeAsUtc(wall: WallTime): number {
  const days = daysFromCivil(wall.year, wall.month, wall.day);
  return days * DAY_MS + wall.hour * 3_600_000 + wall.minute * 60_000 + wall.second * 1000 + wall.millisecond;
}

/** Tells whether the fields name a real date and time (no February 30, no hour 24, no leap second). */
export function isValidWallTime(wall: WallTime): boolean {
  return (
    Number.isInteger(wall.year) &&
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= daysInMonth(wall.year, wall.month) &&
    wall.hour >= 0 &&
    wall.hour <= 23 &&
    wall.minute >= 0 &&
    wall.minute <= 59 &&
    wall.second >= 0 &&
    wall.second <= 59 &&
    wall.millisecond >= 0 &&
    wall.millisecond <= 999
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by Howard Hinnant's
 * days_from_civil algorithm; pure arithmetic, so no Date object is created.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Formats the date part as YYYY-MM-DD. */
export function formatDate(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`;
}

/** Formats as YYYY-MM-DDTHH:mm:ss, adding .SSS only when the milliseconds are not zero. */
export function formatLocalDateTime(wall: WallTime): string {
  const time = `${pad(wall.hour, 2)}:${pad(wall.minute, 2)}:${pad(wall.second, 2)}`;
  const fraction = wall.millisecond === 0 ? '' : `.${pad(wall.millisecond, 3)}`;
  return `${formatDate(wall)}T${time}${fraction}`;
}

/** Offset of `timeZone` from UTC at an instant, in milliseconds (São Paulo in 2024: -10800000). */
function offsetAt(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const wall = toWallTime(wholeSecond, timeZone);
  return wallTimeAsUtc({ ...wall, millisecond: 0 }) - wholeSecond;
}

function utcWallTime(epochMs: number): WallTime {
  const date = new Date(epochMs);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}
