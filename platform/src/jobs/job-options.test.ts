import { describe, expect, it } from 'vitest';
import { silentLogger } from '../observability/index.js';
import { MAX_PAYLOAD_BYTES, MAX_PRIORITY, prepareJob, prepareResult, resolveConcurrency, resolveListLimit, resolveSettings } from './job-options.js';

const settings = resolveSettings({ logger: silentLogger });

describe('resolveSettings', () => {
  it('fills in the defaults', () => {
    expect(settings).toMatchObject({
      lockMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      defaultAttempts: 3,
      defaultBackoff: { type: 'exponential', delayMs: 1_000 },
      completedRetentionMs: 86_400_000,
    });
  });

  it.each([
    ['lockMs', { lockMs: 99 }],
    ['stalledIntervalMs', { stalledIntervalMs: 0 }],
    ['maxStalledCount', { maxStalledCount: -1 }],
    ['defaultAttempts', { defaultAttempts: 101 }],
    ['defaultBackoff', { defaultBackoff: { type: 'random', delayMs: 5 } }],
    ['completedRetentionMs', { completedRetentionMs: 1.5 }],
  ])('rejects a bad %s', (option, overrides) => {
    expect(() => resolveSettings({ logger: silentLogger, ...(overrides as object) })).toThrow(expect.objectContaining({ code: 'JOB_QUEUE_SETTINGS_INVALID', fault: 'platform' }));
  });
});

describe('prepareJob', () => {
  it('applies the queue defaults', () => {
    const job = prepareJob('sync', { connectionId: 'conn_1' }, undefined, settings);

    expect(job).toMatchObject({ name: 'sync', payload: { connectionId: 'conn_1' }, delayMs: 0, priority: 0, attempts: 3, backoff: { type: 'exponential', delayMs: 1_000 }, concurrencyKey: null, idFromCaller: false });
    expect(job.id).toMatch(/^job_[0-9a-z]{26}$/);
  });

  it('keeps the given options', () => {
    const job = prepareJob('sync', null, { delayMs: 250, priority: MAX_PRIORITY, attempts: 7, backoff: { type: 'fixed', delayMs: 40 }, concurrencyKey: 'sync:conn_1:contacts', jobId: 'sync.conn_1/contacts@2024' }, settings);

    expect(job).toMatchObject({ id: 'sync.conn_1/contacts@2024', idFromCaller: true, delayMs: 250, priority: MAX_PRIORITY, attempts: 7, backoff: { type: 'fixed', delayMs: 40 }, concurrencyKey: 'sync:conn_1:contacts' });
  });

  it('passes the payload through JSON', () => {
    const job = prepareJob('sync', { at: new Date('2024-05-01T12:00:00Z'), skipped: undefined, list: [1, undefined] }, undefined, settings);

    expect(job.payload).toEqual({ at: '2024-05-01T12:00:00.000Z', list: [1, null] });
  });

  it('accepts a payload of exactly the maximum size', () => {
    const text = 'x'.repeat(MAX_PAYLOAD_BYTES - 2);

    expect(prepareJob('sync', text, undefined, settings).payload).toBe(text);
    expect(() => prepareJob('sync', `${text}y`, undefined, settings)).toThrow(expect.objectContaining({ code: 'JOB_PAYLOAD_TOO_LARGE' }));
  });

  it('counts payload size in UTF-8 bytes', () => {
    // 'é' is two bytes in UTF-8, so half as many characters reach the limit.
    const text = 'é'.repeat(MAX_PAYLOAD_BYTES / 2);

    expect(() => prepareJob('sync', text, undefined, settings)).toThrow(expect.objectContaining({ code: 'JOB_PAYLOAD_TOO_LARGE' }));
  });

  it.each([
    ['a name starting with a dot', '.hidden', {}],
    ['a name of 101 characters', 'n'.repeat(101), {}],
    ['a name that is not a string', 42, {}],
    ['a delay above one year', 'sync', { delayMs: 365 * 86_400_000 + 1 }],
    ['a string priority', 'sync', { priority: '1' }],
    ['attempts above the maximum', 'sync', { attempts: 101 }],
    ['a backoff without delay', 'sync', { backoff: { type: 'fixed' } }],
    ['a backoff delay above one day', 'sync', { backoff: { type: 'fixed', delayMs: 86_400_001 } }],
    ['a job id with a space', 'sync', { jobId: 'a b' }],
    ['a concurrency key with U+0000', 'sync', { concurrencyKey: 'a\u0000b' }],
  ])('rejects %s', (_case, name, options) => {
    expect(() => prepareJob(name as string, null, options as never, settings)).toThrow(expect.objectContaining({ code: 'JOB_OPTIONS_INVALID', status: 400, fault: 'caller' }));
  });
});

describe('prepareResult', () => {
  it('stores undefined as null', () => {
    expect(prepareResult(undefined)).toBeNull();
  });

  it('passes a result through JSON', () => {
    expect(prepareResult({ count: 3, when: new Date('2024-01-01T00:00:00Z') })).toEqual({ count: 3, when: '2024-01-01T00:00:00.000Z' });
  });

  it('fails a result JSON cannot carry without retries', () => {
    expect(() => prepareResult({ big: 1n })).toThrow(expect.objectContaining({ code: 'JOB_RESULT_INVALID', name: 'NonRetryableJobError' }));
    expect(() => prepareResult('r'.repeat(MAX_PAYLOAD_BYTES))).toThrow(expect.objectContaining({ code: 'JOB_RESULT_INVALID' }));
  });

  it('stores a function result as null', () => {
    expect(prepareResult(() => 1)).toBeNull();
  });
});

describe('worker options', () => {
  it('defaults concurrency to 1 and the list limit to 100', () => {
    expect(resolveConcurrency(undefined)).toBe(1);
    expect(resolveConcurrency({ concurrency: 1_000 })).toBe(1_000);
    expect(resolveListLimit(undefined)).toBe(100);
  });

  it('rejects out-of-range values', () => {
    expect(() => resolveConcurrency({ concurrency: 1_001 })).toThrow(expect.objectContaining({ code: 'JOB_OPTIONS_INVALID' }));
    expect(() => resolveListLimit(1_001)).toThrow(expect.objectContaining({ code: 'JOB_OPTIONS_INVALID' }));
  });
});
