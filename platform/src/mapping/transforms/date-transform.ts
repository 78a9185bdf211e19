import { formatDate, formatLocalDateTime, fromWallTime, isValidWallTime, toWallTime, type WallTime } from '../time-zone.js';
import { scanIsoDateTime } from '../iso-date-time.js';
import { FieldError, quoteValue, valueStep, type ValueStep } from './transform-step.js';

export type DateInput = 'iso8601' | 'epochMilliseconds' | 'epochSeconds' | 'date';
export type DateOutput = 'iso8601' | 'date' | 'epochMilliseconds' | 'epochSeconds' | 'localDateTime';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_TEXT = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Converts dates between formats. Input without an offset (a "date", or an ISO
 * date-time without "Z" or an offset) is read as wall time in `timeZone` (UTC when not
 * set). Outputs "date" and "localDateTime" are the wall time in `timeZone`. Epoch input
 * accepts numbers and numeric text. Unparsable input raises a `DATE_INVALID` field error.
 */
export function compileDate(from: DateInput, to: DateOutput, timeZone: string | undefined): ValueStep {
  const zone = timeZone ?? 'UTC';
  return valueStep('date', (value) => formatInstant(parseInstant(value, from, zone), to, zone));
}

function parseInstant(value: unknown, from: DateInput, zone: string): number {
  switch (from) {
    case 'epochMilliseconds':
      return parseEpoch(value, 1, from);
    case 'epochSeconds':
      return parseEpoch(value, 1000, from);
    case 'date':
      return parseCalendarDate(value, zone);
    case 'iso8601':
      return parseIsoDateTime(value, zone);
  }
}

function parseEpoch(value: unknown, scale: number, from: DateInput): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : NaN;
  const epochMs = number * scale;
  if (Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15) return Math.round(epochMs);
  throw invalid(value, from === 'epochSeconds' ? 'epoch seconds' : 'epoch milliseconds');
}

function parseCalendarDate(value: unknown, zone: string): number {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value.trim()) : null;
  if (!match) throw invalid(value, 'a YYYY-MM-DD date');
  const wall = checkedWall(value, Number(match[1]), Number(match[2]), Number(match[3]), 0, 0, 0, 0);
  return fromWallTime(wall, zone);
}

function parseIsoDateTime(value: unknown, zone: string): number {
  const fields = typeof value === 'string' ? scanIsoDateTime(value.trim()) : undefined;
  if (!fields) throw invalid(value, 'an ISO 8601 date-time');

  const { year, month, day, hour, minute, second, millisecond, offsetMs } = fields;
  const wall = checkedWall(value, year, month, day, hour, minute, second, millisecond);
  if (offsetMs === undefined) return fromWallTime(wall, zone);
  return fromWallTime(wall, 'UTC') - offsetMs;
}

function checkedWall(
  value: unknown,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): WallTime {
  const wall = { year, month, day, hour, minute, second, millisecond };
  if (!isValidWallTime(wall)) throw invalid(value, 'a real calendar date and time');
  return wall;
}

function formatInstant(epochMs: number, to: DateOutput, zone: string): string | number {
  switch (to) {
    case 'iso8601':
      return new Date(epochMs).toISOString();
    case 'epochMilliseconds':
      return epochMs;
    case 'epochSeconds':
      return Math.floor(epochMs / 1000);
    case 'date':
      return formatDate(toWallTime(epochMs, zone));
    case 'localDateTime':
      return formatLocalDateTime(toWallTime(epochMs, zone));
  }
}

function invalid(value: unknown, expected: string): FieldError {
  return new FieldError('DATE_INVALID', `The value ${quoteValue(value)} is not ${expected}.`);
}
