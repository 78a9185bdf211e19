import { suggestClosest } from '@lumio/plugin-sdk';

import { LumioError } from '../../errors/index.js';
import type { SyncScheduleDefinition } from '../../store/index.js';
import { parseCronExpression } from './cron-expression.js';
import { parseInterval } from './schedule-timing.js';

const SCHEDULE_KEYS = ['object', 'mode', 'every', 'cron'];
const MODES = ['full', 'incremental'];

function invalid(field: string, message: string): LumioError {
  return new LumioError('SCHEDULE_INVALID', message, { status: 400, fault: 'caller', details: { field } });
}

function withHint(value: string, known: string[]): string {
  const suggestion = suggestClosest(value, known);
  return suggestion ? ` Did you mean ${suggestion}?` : '';
}

/**
 * Checks the `schedules` list of a `PUT .../sync/schedules` body against the connector's
 * objects: one entry per object, each with `object`, an optional `mode` (default
 * incremental) and exactly one of `every` and `cron`. Raises SCHEDULE_INVALID (400) naming
 * the first bad field, such as `schedules[1].every`.
 */
export function parseScheduleDefinitions(value: unknown, objects: string[]): SyncScheduleDefinition[] {
  if (!Array.isArray(value)) {
    throw invalid('schedules', 'schedules must be a list such as [{"object": "contacts", "mode": "incremental", "every": "15m"}]; send [] to remove every schedule.');
  }

  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const at = `schedules[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(at, `${at} must be an object with object, mode and every or cron.`);
    const entry = item as Record<string, unknown>;

    for (const key of Object.keys(entry)) {
      if (!SCHEDULE_KEYS.includes(key)) throw invalid(`${at}.${key}`, `${at} has the unknown field "${key}"; a schedule takes ${SCHEDULE_KEYS.join(', ')}.${withHint(key, SCHEDULE_KEYS)}`);
    }

    const object = entry.object;
    if (typeof object !== 'string' || !objects.includes(object)) {
      const hint = typeof object === 'string' ? withHint(object, objects) : '';
      throw invalid(`${at}.object`, `${at}.object must name an object of this connector (${objects.join(', ')}), got ${JSON.stringify(object ?? null)}.${hint}`);
    }
    if (seen.has(object)) throw invalid(`${at}.object`, `${at} schedules "${object}" a second time; give each object one schedule.`);
    seen.add(object);

    const mode = entry.mode ?? 'incremental';
    if (typeof mode !== 'string' || !MODES.includes(mode)) throw invalid(`${at}.mode`, `${at}.mode must be "full" or "incremental", got ${JSON.stringify(mode)}.`);

    const every = entry.every ?? null;
    const cron = entry.cron ?? null;
    if ((every === null) === (cron === null)) throw invalid(at, `${at} must have exactly one of every (such as "15m") and cron (such as "0 3 * * *").`);
    if (every !== null && typeof every !== 'string') throw invalid(`${at}.every`, `${at}.every must be a string such as "15m".`);
    if (cron !== null && typeof cron !== 'string') throw invalid(`${at}.cron`, `${at}.cron must be a string such as "0 3 * * *".`);

    try {
      if (every !== null) parseInterval(every);
      if (cron !== null) parseCronExpression(cron);
    } catch (error) {
      const field = every !== null ? 'every' : 'cron';
      throw invalid(`${at}.${field}`, `${at}.${field}: ${(error as Error).message}`);
    }

    return { object, mode: mode as SyncScheduleDefinition['mode'], every: every === null ? null : every.trim(), cron: cron === null ? null : cron.trim() };
  });
}
