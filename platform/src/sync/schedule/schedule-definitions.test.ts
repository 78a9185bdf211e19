import { describe, expect, it } from 'vitest';

import { parseScheduleDefinitions } from './schedule-definitions.js';

const OBJECTS = ['contacts', 'companies', 'deals'];

function errorOf(value: unknown): { code?: string; message?: string; details?: { field?: string } } {
  try {
    parseScheduleDefinitions(value, OBJECTS);
  } catch (error) {
    return error as { code?: string; message?: string; details?: { field?: string } };
  }
  throw new Error('parseScheduleDefinitions accepted the value');
}

describe('parseScheduleDefinitions', () => {
  it('reads intervals and cron expressions', () => {
    const definitions = parseScheduleDefinitions(
      [
        { object: 'contacts', mode: 'incremental', every: '15m' },
        { object: 'deals', mode: 'full', cron: ' 0 3 * * * ' },
      ],
      OBJECTS,
    );

    expect(definitions).toEqual([
      { object: 'contacts', mode: 'incremental', every: '15m', cron: null },
      { object: 'deals', mode: 'full', every: null, cron: '0 3 * * *' },
    ]);
  });

  it('defaults the mode to incremental', () => {
    expect(parseScheduleDefinitions([{ object: 'companies', every: '1h' }], OBJECTS)[0]?.mode).toBe('incremental');
  });

  it('accepts an empty list', () => {
    expect(parseScheduleDefinitions([], OBJECTS)).toEqual([]);
  });

  it.each([
    ['a non-list', { object: 'contacts' }, 'schedules', /must be a list/],
    ['an unknown object', [{ object: 'contact', every: '15m' }], 'schedules[0].object', /Did you mean contacts\?/],
    ['a repeated object', [{ object: 'deals', every: '1h' }, { object: 'deals', cron: '0 * * * *' }], 'schedules[1].object', /a second time/],
    ['a bad mode', [{ object: 'deals', mode: 'partial', every: '1h' }], 'schedules[0].mode', /"full" or "incremental"/],
    ['both every and cron', [{ object: 'deals', every: '1h', cron: '0 * * * *' }], 'schedules[0]', /exactly one of every/],
    ['neither every nor cron', [{ object: 'deals' }], 'schedules[0]', /exactly one of every/],
    ['a bad interval', [{ object: 'deals', every: '30s' }], 'schedules[0].every', /from 1m to 31d/],
    ['a bad cron expression', [{ object: 'deals', cron: '0 3 * *' }], 'schedules[0].cron', /4 fields/],
    ['an unknown field', [{ object: 'deals', evry: '1h' }], 'schedules[0].evry', /Did you mean every\?/],
    ['a non-object entry', ['contacts'], 'schedules[0]', /must be an object/],
    ['a number interval', [{ object: 'deals', every: 15 }], 'schedules[0].every', /must be a string/],
  ])('rejects %s', (_case, value, field, message) => {
    const error = errorOf(value);

    expect(error.code).toBe('SCHEDULE_INVALID');
    expect(error.details?.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});
