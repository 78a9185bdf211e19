import type { WebhookRoute } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { staleReason } from './stale-reason.js';

const upsert: WebhookRoute = { eventType: '*', object: 'messages', action: 'upsert', idPath: 'id', statusOrder: { path: 'status', values: ['sent', 'delivered', 'read'] } };
const at = (iso: string) => Date.parse(iso);

describe('staleReason', () => {
  it('accepts any event without a stored record', () => {
    expect(staleReason(upsert, { occurredAt: 0, payload: { status: 'sent' } }, undefined)).toBeNull();
  });

  it('rejects an event older than the stored change', () => {
    const stored = { raw: {}, sourceUpdatedAt: '2025-01-01T10:00:00.000Z' };
    expect(staleReason(upsert, { occurredAt: at('2025-01-01T09:59:59.999Z'), payload: {} }, stored)).toBe('the stored record changed after this event');
  });

  it('accepts an event as old as the stored change', () => {
    const stored = { raw: {}, sourceUpdatedAt: '2025-01-01T10:00:00.000Z' };
    expect(staleReason(upsert, { occurredAt: at('2025-01-01T10:00:00.000Z'), payload: {} }, stored)).toBeNull();
  });

  it('accepts events without times', () => {
    expect(staleReason(upsert, { occurredAt: null, payload: {} }, { raw: {}, sourceUpdatedAt: '2025-01-01T10:00:00.000Z' })).toBeNull();
    expect(staleReason(upsert, { occurredAt: 5, payload: {} }, { raw: {}, sourceUpdatedAt: null })).toBeNull();
  });

  it('rejects a status before the stored one', () => {
    const reason = staleReason(upsert, { occurredAt: null, payload: { status: 'delivered' } }, { raw: { status: 'read' }, sourceUpdatedAt: null });
    expect(reason).toBe('the stored status "read" comes after "delivered"');
  });

  it('accepts the same or a later status', () => {
    const stored = { raw: { status: 'delivered' }, sourceUpdatedAt: null };
    expect(staleReason(upsert, { occurredAt: null, payload: { status: 'delivered' } }, stored)).toBeNull();
    expect(staleReason(upsert, { occurredAt: null, payload: { status: 'read' } }, stored)).toBeNull();
  });

  it('ignores statuses outside the order', () => {
    expect(staleReason(upsert, { occurredAt: null, payload: { status: 'failed' } }, { raw: { status: 'read' }, sourceUpdatedAt: null })).toBeNull();
    expect(staleReason(upsert, { occurredAt: null, payload: { status: 'sent' } }, { raw: { status: 'unknown' }, sourceUpdatedAt: null })).toBeNull();
  });

  it('applies the status order to upserts only', () => {
    const fetch: WebhookRoute = { ...upsert, action: 'fetch' };
    expect(staleReason(fetch, { occurredAt: null, payload: { status: 'sent' } }, { raw: { status: 'read' }, sourceUpdatedAt: null })).toBeNull();
  });
});
