import { describe, expect, it } from 'vitest';

import { ALL_PROPERTIES, buildProjection, recordJson, splitPropertyNames } from './record-json.js';
import { RecordStore, UniqueValueConflict } from './record-store.js';

const START = Date.parse('2025-01-01T00:00:00.000Z');

function storeWithClock(): { store: RecordStore; clock: { now: number } } {
  const clock = { now: START };
  return { store: new RecordStore(() => clock.now), clock };
}

describe('record store', () => {
  it('orders records by numeric id', () => {
    const { store } = storeWithClock();
    for (const id of ['100', '9', '25', '1000', '10']) {
      store.insert('contacts', { id, properties: { email: `c${id}@example.com` } });
    }

    expect(store.ordered('contacts').map((record) => record.id)).toEqual(['9', '10', '25', '100', '1000']);
    expect(store.lowerBound('contacts', 26)).toBe(3);
  });

  it('assigns the next id after the highest', () => {
    const { store } = storeWithClock();
    store.insert('deals', { id: '41', properties: { dealname: 'A' } });

    expect(store.insert('deals', { properties: { dealname: 'B' } }).id).toBe('42');
  });

  it('bumps last-modified on update', () => {
    const { store, clock } = storeWithClock();
    const record = store.insert('contacts', { properties: { firstname: 'Inês', createdate: '2024-03-01T10:00:00.000Z' } });
    clock.now = START + 61_000;

    const updated = store.update('contacts', record.id, { firstname: 'Inês Maria' });

    expect(updated.properties.lastmodifieddate).toBe('2025-01-01T00:01:01.000Z');
    expect(updated.updatedAt).toBe('2025-01-01T00:01:01.000Z');
    expect(updated.createdAt).toBe('2024-03-01T10:00:00.000Z');
    expect(updated.properties.createdate).toBe('2024-03-01T10:00:00.000Z');
  });

  it('uses hs_lastmodifieddate for companies', () => {
    const { store, clock } = storeWithClock();
    const record = store.insert('companies', { properties: { name: 'Açores Telecom' } });
    clock.now = START + 5000;

    const updated = store.update('companies', record.id, { city: 'Ponta Delgada' });

    expect(updated.properties.hs_lastmodifieddate).toBe('2025-01-01T00:00:05.000Z');
    expect(updated.properties.lastmodifieddate).toBeUndefined();
  });

  it('clears a value set to empty', () => {
    const { store } = storeWithClock();
    const record = store.insert('contacts', { properties: { phone: '+351 912 345 678' } });

    expect(store.update('contacts', record.id, { phone: '' }).properties.phone).toBeNull();
  });

  it('rejects a duplicate email', () => {
    const { store } = storeWithClock();
    store.insert('contacts', { id: '5', properties: { email: 'ana@example.com' } });

    const attempt = (): unknown => store.insert('contacts', { properties: { email: 'ANA@example.com' } });
    expect(attempt).toThrow(UniqueValueConflict);
  });

  it('frees an archived email', () => {
    const { store } = storeWithClock();
    store.insert('contacts', { id: '5', properties: { email: 'ana@example.com' } });
    store.archive('contacts', '5');

    expect(store.insert('contacts', { properties: { email: 'ana@example.com' } }).id).toBe('6');
    expect(() => store.unarchive('contacts', '5')).toThrow(UniqueValueConflict);
  });

  it('archives with the clock time', () => {
    const { store, clock } = storeWithClock();
    const record = store.insert('deals', { properties: { dealname: 'Piloto' } });
    clock.now = START + 1234;

    const archived = store.archive('deals', record.id);

    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBe('2025-01-01T00:00:01.234Z');
    expect(store.unarchive('deals', record.id).archivedAt).toBeUndefined();
  });

  it('hard-deletes records', () => {
    const { store } = storeWithClock();
    store.insert('contacts', { id: '3', properties: {} });
    store.insert('contacts', { id: '4', properties: {} });

    expect(store.remove('contacts', '3')).toBe(true);
    expect(store.remove('contacts', '3')).toBe(false);
    expect(store.ordered('contacts').map((record) => record.id)).toEqual(['4']);
  });

  it('normalizes datetime values', () => {
    const { store } = storeWithClock();
    const record = store.insert('deals', { properties: { dealname: 'Piloto', closedate: '1700000000000', createdate: '2024-05-01' } });

    expect(record.properties.closedate).toBe('2023-11-14T22:13:20.000Z');
    expect(record.createdAt).toBe('2024-05-01T00:00:00.000Z');
    expect(store.update('deals', record.id, { closedate: '2024-06-30T12:00:00+01:00' }).properties.closedate).toBe('2024-06-30T11:00:00.000Z');
  });

  it('moves createdAt with createdate', () => {
    const { store } = storeWithClock();
    const record = store.insert('contacts', { properties: { createdate: '2024-01-01T00:00:00.000Z' } });

    const updated = store.update('contacts', record.id, { createdate: '2023-12-24T18:30:00.000Z' });

    expect(updated.createdAt).toBe('2023-12-24T18:30:00.000Z');
    expect(updated.properties.createdate).toBe('2023-12-24T18:30:00.000Z');
  });

  it('names a missing id', () => {
    const { store } = storeWithClock();

    expect(() => store.update('contacts', '77', { firstname: 'x' })).toThrow(/No contacts record has id 77/);
  });
});

describe('record JSON', () => {
  it('round-trips accents and emoji byte-exact', () => {
    const { store } = storeWithClock();
    const names = ['Zé 🚀', 'Conceição', 'Ângela', 'Sol ☀️', 'Programadora 👩‍💻', 'Livraria "O Leitor"', "O'Brien"];
    const record = store.insert('contacts', { properties: { firstname: names[0], lastname: names[1], jobtitle: names[4], company: names[5], city: names[3], state: names[2], country: names[6] } });

    const json = recordJson(record, ALL_PROPERTIES);
    const parsed = JSON.parse(json) as { properties: Record<string, string> };

    expect(parsed.properties.firstname).toBe('Zé 🚀');
    for (const name of names) {
      const bytes = Buffer.from(name, 'utf8');
      const values = Object.values(parsed.properties).map((value) => Buffer.from(value, 'utf8'));
      expect(values.some((value) => value.equals(bytes))).toBe(true);
      // The JSON text carries the characters themselves, not \u escapes.
      expect(Buffer.from(json, 'utf8').includes(Buffer.from(JSON.stringify(name).slice(1, -1), 'utf8'))).toBe(true);
    }
  });

  it('returns default contact properties', () => {
    const { store } = storeWithClock();
    const record = store.insert('contacts', { id: '12', properties: { firstname: 'João', city: 'Porto' } });

    const parsed = JSON.parse(recordJson(record, buildProjection(store, 'contacts', []))) as { properties: Record<string, unknown> };

    expect(Object.keys(parsed.properties)).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    expect(parsed.properties.email).toBeNull();
    expect(parsed.properties.hs_object_id).toBe('12');
  });

  it('returns requested properties plus fixed ones', () => {
    const { store } = storeWithClock();
    const record = store.insert('contacts', { properties: { firstname: 'João', city: 'Porto' } });
    const projection = buildProjection(store, 'contacts', splitPropertyNames(['city,phone', 'nosuchproperty', ' firstname ']));

    const parsed = JSON.parse(recordJson(record, projection)) as { properties: Record<string, unknown> };

    expect(Object.keys(parsed.properties)).toEqual(['city', 'createdate', 'firstname', 'hs_object_id', 'lastmodifieddate', 'phone']);
    expect(parsed.properties.phone).toBeNull();
  });

  it('adds archivedAt for archived records', () => {
    const { store } = storeWithClock();
    const record = store.insert('contacts', { properties: {} });
    const before = recordJson(record, ALL_PROPERTIES);
    store.archive('contacts', record.id);

    const after = JSON.parse(recordJson(record, ALL_PROPERTIES)) as Record<string, unknown>;

    expect(before).not.toContain('archivedAt');
    expect(after.archived).toBe(true);
    expect(after.archivedAt).toBe('2025-01-01T00:00:00.000Z');
  });
});
