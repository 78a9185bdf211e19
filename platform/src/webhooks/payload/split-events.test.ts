import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import { splitEvents } from './split-events.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

describe('splitEvents', () => {
  it('treats the body as one event', () => {
    expect(splitEvents({ id: 1 }, undefined)).toEqual([{ id: 1 }]);
    expect(splitEvents([1, 2], undefined)).toEqual([[1, 2]]);
  });

  it('reads the body as the array', () => {
    expect(splitEvents([{ id: 1 }, { id: 2 }], '')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reads an array at a dot path', () => {
    expect(splitEvents({ entry: [{ id: 'a' }] }, 'entry')).toEqual([{ id: 'a' }]);
    expect(splitEvents({ data: { items: [] } }, 'data.items')).toEqual([]);
    expect(splitEvents({ pages: [{ events: [1] }] }, 'pages.0.events')).toEqual([1]);
  });

  it('rejects a non-array body', () => {
    const error = captureError(() => splitEvents({ id: 1 }, ''));

    expect(error.code).toBe('WEBHOOK_BODY_INVALID');
    expect(error.status).toBe(400);
    expect(error.fault).toBe('caller');
    expect(error.message).toBe("The webhook body is not an array of events, as the connector's events.path expects.");
  });

  it('rejects a missing or non-array path', () => {
    expect(captureError(() => splitEvents({ entry: {} }, 'entry')).message).toMatch(/^The value at "entry" in the webhook body is not an array/);
    expect(captureError(() => splitEvents({}, 'entry')).code).toBe('WEBHOOK_BODY_INVALID');
    expect(captureError(() => splitEvents(null, 'entry')).code).toBe('WEBHOOK_BODY_INVALID');
    expect(captureError(() => splitEvents({ entry: 'x' }, 'entry.length')).code).toBe('WEBHOOK_BODY_INVALID');
  });

  it('never reads inherited members', () => {
    expect(captureError(() => splitEvents({}, 'constructor')).code).toBe('WEBHOOK_BODY_INVALID');
    expect(captureError(() => splitEvents([], '__proto__')).code).toBe('WEBHOOK_BODY_INVALID');
  });
});
