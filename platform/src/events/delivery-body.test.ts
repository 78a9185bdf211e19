import { describe, expect, it } from 'vitest';

import type { LumioEvent } from '../store/index.js';
import { buildDeliveryBody } from './delivery-body.js';

function event(overrides: Partial<LumioEvent> = {}): LumioEvent {
  return {
    id: 'evt_01',
    workspaceId: 'ws_1',
    connectionId: 'conn_1',
    type: 'record.updated',
    sourceEventId: null,
    payload: { object: 'contacts', externalId: '42' },
    createdAt: Date.UTC(2024, 4, 1, 12, 0, 0, 250),
    ...overrides,
  };
}

describe('buildDeliveryBody', () => {
  it('uses type, timestamp and data', () => {
    expect(JSON.parse(buildDeliveryBody(event()))).toEqual({
      type: 'record.updated',
      timestamp: '2024-05-01T12:00:00.250Z',
      data: { connectionId: 'conn_1', object: 'contacts', externalId: '42' },
    });
  });

  it('leaves connectionId out for workspace events', () => {
    expect(JSON.parse(buildDeliveryBody(event({ connectionId: null }))).data).toEqual({ object: 'contacts', externalId: '42' });
  });

  it('returns the same text every time', () => {
    expect(buildDeliveryBody(event())).toBe(buildDeliveryBody(event()));
  });
});
