import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import { describePipedriveEvent } from './pipedrive.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

describe('describePipedriveEvent', () => {
  it('describes a v1 event', () => {
    const event = { v: 1, event: 'updated.person', meta: { v: 1, action: 'updated', object: 'person', id: 11 }, current: { id: 11 } };
    expect(describePipedriveEvent(event)).toEqual({ type: 'person.change', id: '11' });
  });

  it('maps every v1 action', () => {
    const describe1 = (action: string) => describePipedriveEvent({ meta: { action, object: 'deal', id: 5 } }).type;

    expect(describe1('added')).toBe('deal.create');
    expect(describe1('updated')).toBe('deal.change');
    expect(describe1('merged')).toBe('deal.change');
    expect(describe1('deleted')).toBe('deal.delete');
  });

  it('falls back to the v1 event field', () => {
    const event = { event: 'deleted.organization', meta: { v: 1 }, previous: { id: 42 } };
    expect(describePipedriveEvent(event)).toEqual({ type: 'organization.delete', id: '42' });
  });

  it('describes a v2 event', () => {
    const event = {
      data: { id: 123, name: 'Ana' },
      previous: null,
      meta: { action: 'change', entity: 'person', entity_id: '123', id: '6b3f1c7e-0000-4000-8000-000000000000', version: '2.0' },
    };
    expect(describePipedriveEvent(event)).toEqual({ type: 'person.change', id: '123' });
  });

  it('falls back to the v2 data id', () => {
    const event = { data: { id: 9 }, meta: { action: 'create', entity: 'lead', version: '2.0' } };
    expect(describePipedriveEvent(event)).toEqual({ type: 'lead.create', id: '9' });
  });

  it('routes by meta.version', () => {
    const mixed = { event: 'added.deal', meta: { action: 'delete', entity: 'note', entity_id: '3', object: 'deal', id: 4, version: '2.0' } };
    expect(describePipedriveEvent(mixed)).toEqual({ type: 'note.delete', id: '3' });
  });

  it('rejects events without meta', () => {
    for (const event of [null, 'x', [], {}, { meta: 'x' }, { meta: [] }]) {
      const error = captureError(() => describePipedriveEvent(event));
      expect(error.code).toBe('WEBHOOK_BODY_INVALID');
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/no meta object/);
    }
  });

  it('rejects events missing a part', () => {
    const missing = [
      { meta: { action: 'added', id: 1 } },
      { meta: { object: 'deal', id: 1 } },
      { meta: { action: 'added', object: 'deal' } },
      { meta: { action: 'create', entity: 'deal', version: '2.0' } },
      { meta: { action: 'added', object: 'deal', id: 1.5 } },
      { meta: { action: '', object: 'deal', id: 1 } },
    ];
    for (const event of missing) {
      expect(captureError(() => describePipedriveEvent(event)).message).toMatch(/object, action and record id/);
    }
  });
});
