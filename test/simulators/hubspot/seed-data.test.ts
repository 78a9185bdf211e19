import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { OBJECT_SCHEMAS } from './object-types.js';
import { RecordStore } from './record-store.js';
import { generateSeedRecords, seedStore, slugify } from './seed-data.js';

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

const ISO_MILLISECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('seeded generator', () => {
  it('repeats records for one seed', () => {
    const first = generateSeedRecords({ seed: 7, contacts: 500, companies: 50, deals: 50 });
    const second = generateSeedRecords({ seed: 7, contacts: 500, companies: 50, deals: 50 });

    expect(digest(second.records)).toBe(digest(first.records));
    expect(second.summary).toEqual(first.summary);
  });

  it('changes records with the seed', () => {
    const first = generateSeedRecords({ seed: 7, contacts: 200 });
    const second = generateSeedRecords({ seed: 8, contacts: 200 });

    expect(digest(second.records.contacts)).not.toBe(digest(first.records.contacts));
  });

  it('keeps contacts when companies are added', () => {
    const alone = generateSeedRecords({ seed: 3, contacts: 300 });
    const withOthers = generateSeedRecords({ seed: 3, contacts: 300, companies: 40, deals: 80 });

    expect(digest(withOthers.records.contacts)).toBe(digest(alone.records.contacts));
  });

  it('counts active and archived records', () => {
    const { records, summary } = generateSeedRecords({ seed: 1, contacts: { count: 1000, archivedCount: 37, tiedLastModifiedCount: 0 } });

    expect(records.contacts).toHaveLength(1037);
    expect(records.contacts.filter((input) => input.archived === true)).toHaveLength(37);
    expect(summary.objects.contacts.active).toBe(1000);
    expect(summary.objects.contacts.archived).toBe(37);
  });

  it('ties exactly the requested records', () => {
    const { records, summary } = generateSeedRecords({ seed: 5, contacts: { count: 3000, tiedLastModifiedCount: 300, archivedCount: 20 } });
    const tied = summary.objects.contacts.tiedLastModified;
    expect(tied).not.toBeNull();

    const sharing = records.contacts.filter((input) => input.properties.lastmodifieddate === tied?.value);
    expect(sharing).toHaveLength(300);
    expect(sharing.every((input) => input.archived !== true)).toBe(true);

    // The tied records are spread over the id range, so tie-breaking by id is exercised.
    const ids = sharing.map((input) => Number(input.id));
    expect(Math.min(...ids)).toBeLessThan(Number(records.contacts[300]?.id));
    expect(Math.max(...ids)).toBeGreaterThan(Number(records.contacts[2700]?.id));
  });

  it('applies default tie and archive counts', () => {
    const { summary } = generateSeedRecords({ seed: 1, contacts: 25_000 });

    expect(summary.objects.contacts.tiedLastModified?.count).toBe(300);
    expect(summary.objects.contacts.archived).toBe(250);
  });

  it('gives ascending ids with gaps', () => {
    const { records } = generateSeedRecords({ seed: 2, contacts: 2000 });
    const ids = records.contacts.map((input) => Number(input.id));

    const gaps = ids.slice(1).map((id, index) => id - (ids[index] as number));
    expect(gaps.every((gap) => gap >= 1 && gap <= 3)).toBe(true);
    expect(gaps.some((gap) => gap > 1)).toBe(true);
  });

  it('formats datetimes as ISO with milliseconds', () => {
    const { records } = generateSeedRecords({ seed: 4, contacts: 300, companies: 30, deals: 30 });

    for (const type of ['contacts', 'companies', 'deals'] as const) {
      const lastModified = OBJECT_SCHEMAS[type].lastModifiedProperty;
      for (const input of records[type]) {
        const created = String(input.properties.createdate);
        const modified = String(input.properties[lastModified]);
        expect(created).toMatch(ISO_MILLISECONDS_UTC);
        expect(modified).toMatch(ISO_MILLISECONDS_UTC);
        expect(Date.parse(modified)).toBeGreaterThanOrEqual(Date.parse(created));
      }
    }
  });

  it('includes accents and emoji', () => {
    const { records } = generateSeedRecords({ seed: 1, contacts: 5000 });
    const firstNames = new Set(records.contacts.map((input) => input.properties.firstname));

    for (const name of ['João', 'Conceição', 'Ângela', 'Zé 🚀']) {
      expect(firstNames.has(name)).toBe(true);
    }
  });

  it('makes unique ASCII e-mail addresses', () => {
    const { records } = generateSeedRecords({ seed: 9, contacts: 5000 });
    const emails = records.contacts.map((input) => String(input.properties.email));

    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((email) => /^[a-z0-9.]+@[a-z.]+$/.test(email))).toBe(true);
  });

  it('rejects more tied records than exist', () => {
    expect(() => generateSeedRecords({ contacts: { count: 10, tiedLastModifiedCount: 11 } })).toThrow(/exceeds count/);
  });

  it('fills a store in id order', () => {
    const store = new RecordStore(() => Date.parse('2025-07-01T00:00:00.000Z'));
    const summary = seedStore(store, { seed: 11, contacts: 400, deals: 20 });
    const ids = store.ordered('contacts').map((record) => record.idNumber);

    expect(ids).toEqual([...ids].sort((left, right) => left - right));
    expect(store.ordered('contacts').filter((record) => !record.archived)).toHaveLength(summary.objects.contacts.active);
    expect(store.ordered('deals')).toHaveLength(20);
  });
});

describe('slugify', () => {
  it('folds accents to ASCII', () => {
    expect(slugify('Conceição')).toBe('conceicao');
    expect(slugify('Łukasz Ødegård')).toBe('lukaszodegard');
    expect(slugify('Zé 🚀')).toBe('ze');
    expect(slugify("O'Brien")).toBe('obrien');
  });
});
