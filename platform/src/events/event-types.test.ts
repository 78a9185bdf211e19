import { describe, expect, it } from 'vitest';

import { isLumioError } from '../errors/index.js';
import { checkEventPatterns, LUMIO_EVENT_TYPES, matchesEventPatterns, MAX_EVENT_PATTERNS } from './event-types.js';

function rejection(value: unknown) {
  try {
    checkEventPatterns(value);
  } catch (error) {
    if (isLumioError(error)) return error;
    throw error;
  }
  throw new Error('checkEventPatterns accepted the value');
}

describe('checkEventPatterns', () => {
  it('accepts every event type', () => {
    expect(checkEventPatterns([...LUMIO_EVENT_TYPES])).toEqual([...LUMIO_EVENT_TYPES]);
  });

  it('accepts group wildcards and *', () => {
    expect(checkEventPatterns(['record.*', 'sync.*', 'integration.*', 'webhook.*', 'error.*', '*'])).toHaveLength(6);
  });

  it('drops repeated entries in order', () => {
    expect(checkEventPatterns(['sync.failed', 'record.*', 'sync.failed'])).toEqual(['sync.failed', 'record.*']);
  });

  it('rejects an unknown type with a suggestion', () => {
    const error = rejection(['sync.complete']);

    expect(error.code).toBe('FIELD_INVALID');
    expect(error.status).toBe(400);
    expect(error.details.field).toBe('events');
    expect(error.message).toContain('Did you mean sync.completed?');
  });

  it('rejects a wildcard of an unknown group', () => {
    expect(rejection(['contact.*']).code).toBe('FIELD_INVALID');
  });

  it('rejects partial wildcards', () => {
    expect(rejection(['record.*d']).code).toBe('FIELD_INVALID');
    expect(rejection(['*.created']).code).toBe('FIELD_INVALID');
    expect(rejection(['record*']).code).toBe('FIELD_INVALID');
  });

  it('rejects values that are not lists of strings', () => {
    for (const value of [undefined, null, 'sync.completed', [], [42], {}, [null]]) {
      expect(rejection(value).code).toBe('FIELD_INVALID');
    }
  });

  it('rejects too many entries', () => {
    const error = rejection(Array.from({ length: MAX_EVENT_PATTERNS + 1 }, () => 'sync.failed'));

    expect(error.message).toContain(`at most ${MAX_EVENT_PATTERNS}`);
  });
});

describe('matchesEventPatterns', () => {
  it('matches exact types', () => {
    expect(matchesEventPatterns(['sync.completed'], 'sync.completed')).toBe(true);
    expect(matchesEventPatterns(['sync.completed'], 'sync.failed')).toBe(false);
  });

  it('matches a group wildcard only within the group', () => {
    expect(matchesEventPatterns(['record.*'], 'record.created')).toBe(true);
    expect(matchesEventPatterns(['record.*'], 'record.deleted')).toBe(true);
    expect(matchesEventPatterns(['record.*'], 'sync.completed')).toBe(false);
    expect(matchesEventPatterns(['record.*'], 'records.created')).toBe(false);
  });

  it('matches everything with *', () => {
    for (const type of LUMIO_EVENT_TYPES) {
      expect(matchesEventPatterns(['*'], type)).toBe(true);
    }
  });

  it('matches nothing with an empty list', () => {
    expect(matchesEventPatterns([], 'sync.completed')).toBe(false);
  });
});
