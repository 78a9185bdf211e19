import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import { validateCanonicalRecord } from './canonical-validator.js';
import { MAX_RECORDS_PER_REQUEST, parseBatchWrite, parseSingleWrite } from './parse-write-request.js';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');

function problemsOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError && error.code === 'WRITE_REQUEST_INVALID') {
      expect(error.status).toBe(400);
      return error.details.problems as { field: string; message: string }[];
    }
    throw error;
  }
  throw new Error('expected WRITE_REQUEST_INVALID');
}

describe('parseSingleWrite', () => {
  it('reads a record', () => {
    const request = parseSingleWrite({ integration: 'hubspot', object: 'contact', data: { fullName: 'Ana' }, id: 'rec_01hx0000000000000000000000', changedAt: '2025-03-01T09:00:00-03:00' }, NOW);

    expect(request).toEqual({
      integration: 'hubspot',
      object: 'contact',
      records: [{ path: '', data: { fullName: 'Ana' }, id: 'rec_01hx0000000000000000000000', changedAt: '2025-03-01T12:00:00.000Z' }],
    });
  });

  it('defaults changedAt to now', () => {
    expect(parseSingleWrite({ integration: 'hubspot', object: 'contact', data: {} }, NOW).records[0]?.changedAt).toBe('2025-03-01T12:00:00.000Z');
  });

  it('lists every problem', () => {
    const problems = problemsOf(() => parseSingleWrite({ integraton: 'hubspot', object: 'contacts', data: [], id: 'x', changedAt: '2026-01-01T00:00:00Z' }, NOW));

    expect(problems.map((problem) => problem.field)).toEqual(['integraton', 'integration', 'object', 'data', 'id', 'changedAt']);
    expect(problems[0]?.message).toContain('did you mean integration');
    expect(problems[2]?.message).toContain('Did you mean contact');
    expect(problems[5]?.message).toContain('future');
  });
});

describe('parseBatchWrite', () => {
  it('names records by index', () => {
    const problems = problemsOf(() => parseBatchWrite({ integration: 'hubspot', object: 'contact', records: [{ data: {} }, 'x', { data: {}, externalid: '1' }] }, NOW));

    expect(problems.map((problem) => problem.field)).toEqual(['records[1]', 'records[2].externalid']);
  });

  it('limits the batch size', () => {
    const records = Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, () => ({ data: {} }));

    expect(problemsOf(() => parseBatchWrite({ integration: 'hubspot', object: 'contact', records }, NOW))[0]?.message).toContain(`at most ${MAX_RECORDS_PER_REQUEST}`);
    expect(problemsOf(() => parseBatchWrite({ integration: 'hubspot', object: 'contact', records: [] }, NOW))[0]?.field).toBe('records');
    expect(parseBatchWrite({ integration: 'hubspot', object: 'contact', records: records.slice(1) }, NOW).records).toHaveLength(MAX_RECORDS_PER_REQUEST);
  });
});

describe('validateCanonicalRecord', () => {
  it('accepts a valid contact', () => {
    expect(validateCanonicalRecord('contact', { fullName: 'Ana Souza', email: 'ana@example.com', address: { country: 'BR' }, tags: ['vip'] }, 'data')).toEqual([]);
  });

  it('names each bad field', () => {
    const problems = validateCanonicalRecord('contact', { email: 'not-an-email', whatsap: '+55', marketingConsent: 'yes', lifecycleStage: 'hot' }, 'data');
    const byField = Object.fromEntries(problems.map((problem) => [problem.field, problem.message]));

    expect(Object.keys(byField).sort()).toEqual(['data.email', 'data.fullName', 'data.lifecycleStage', 'data.marketingConsent', 'data.whatsap']);
    expect(byField['data.fullName']).toContain('required');
    expect(byField['data.whatsap']).toContain('Did you mean whatsapp');
    expect(byField['data.marketingConsent']).toContain('must be a boolean');
    expect(byField['data.email']).toContain('e-mail address');
    expect(byField['data.lifecycleStage']).toContain('"lead"');
  });

  it('allows missing fields when partial', () => {
    expect(validateCanonicalRecord('contact', { email: 'ana@example.com' }, 'data', { partial: true })).toEqual([]);
    expect(validateCanonicalRecord('contact', { email: 1 }, 'data', { partial: true }).map((problem) => problem.field)).toEqual(['data.email']);
  });
});
