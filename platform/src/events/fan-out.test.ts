import { describe, expect, it } from 'vitest';

import type { LumioEvent, StoredEventSubscription } from '../store/index.js';
import { matchDeliveries, settledPrefix } from './fan-out.js';

function event(id: string, type: string, createdAt: number): LumioEvent {
  return { id, workspaceId: 'ws_1', connectionId: null, type, sourceEventId: null, payload: {}, createdAt };
}

function subscription(id: string, events: string[], createdAt: number): StoredEventSubscription {
  return { id, workspaceId: 'ws_1', url: 'https://hooks.example.com/in', events, secret: { keyId: 'k', nonce: '', ciphertext: '', authTag: '' }, createdAt };
}

describe('settledPrefix', () => {
  it('keeps events up to the horizon', () => {
    const events = [event('evt_1', 'sync.started', 100), event('evt_2', 'sync.completed', 200), event('evt_3', 'sync.failed', 300)];

    expect(settledPrefix(events, 200).map((item) => item.id)).toEqual(['evt_1', 'evt_2']);
    expect(settledPrefix(events, 1_000)).toHaveLength(3);
    expect(settledPrefix(events, 50)).toEqual([]);
  });

  it('stops at the first young event', () => {
    const events = [event('evt_1', 'sync.started', 100), event('evt_2', 'sync.completed', 900), event('evt_3', 'sync.failed', 150)];

    expect(settledPrefix(events, 500).map((item) => item.id)).toEqual(['evt_1']);
  });
});

describe('matchDeliveries', () => {
  it('pairs events with matching subscriptions', () => {
    const events = [event('evt_1', 'record.created', 100), event('evt_2', 'sync.completed', 100)];
    const subscriptions = [subscription('sub_records', ['record.*'], 0), subscription('sub_all', ['*'], 0), subscription('sub_failures', ['sync.failed'], 0)];

    expect(matchDeliveries(events, subscriptions)).toEqual([
      { subscriptionId: 'sub_records', eventId: 'evt_1', eventType: 'record.created' },
      { subscriptionId: 'sub_all', eventId: 'evt_1', eventType: 'record.created' },
      { subscriptionId: 'sub_all', eventId: 'evt_2', eventType: 'sync.completed' },
    ]);
  });

  it('skips events older than the subscription', () => {
    const events = [event('evt_1', 'sync.completed', 99), event('evt_2', 'sync.completed', 100)];

    expect(matchDeliveries(events, [subscription('sub_1', ['*'], 100)]).map((delivery) => delivery.eventId)).toEqual(['evt_2']);
  });
});
