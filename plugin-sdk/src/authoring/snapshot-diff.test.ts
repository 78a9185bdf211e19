import { describe, expect, it } from 'vitest';

import type { Snapshot } from './recording-format.js';
import { diffSnapshots } from './snapshot-diff.js';

function snapshot(records: Snapshot['records'], state: object | null = { cursor: '2025-03-01' }): Snapshot {
  return { format: 1, object: 'tasks', mode: 'full', canonicalObject: 'deal', records, state };
}

const ONE = { externalId: 't1', deleted: false, data: { name: 'Proposta', amount: 10, tags: ['a'] } };
const TWO = { externalId: 't2', deleted: false, data: { name: 'Contrato', amount: 20, tags: [] } };

describe('diffSnapshots', () => {
  it('finds no difference in equal snapshots', () => {
    expect(diffSnapshots(snapshot([ONE, TWO]), snapshot(structuredClone([ONE, TWO])))).toEqual([]);
  });

  it('names a changed field by record and path', () => {
    const changed = { ...ONE, data: { ...ONE.data, amount: 11, tags: ['a', 'b'] } };

    expect(diffSnapshots(snapshot([ONE, TWO]), snapshot([changed, TWO]))).toEqual([
      'record "t1" data.amount: expected 10, got 11',
      'record "t1" data.tags: expected 1 items, got 2',
    ]);
  });

  it('lists missing, new and deleted records', () => {
    const deleted = { ...TWO, deleted: true };
    const added = { externalId: 't3', deleted: false, data: { name: 'Renovação' } };

    expect(diffSnapshots(snapshot([ONE, TWO]), snapshot([deleted, added]))).toEqual([
      'record "t1": in the snapshot but missing from the replay',
      'record "t2" deleted: expected false, got true',
      'record "t3": new in the replay: {"name":"Renovação"}',
    ]);
  });

  it('reports added and removed fields', () => {
    const reshaped = { ...ONE, data: { name: 'Proposta', amount: 10, tags: ['a'], stage: 'novo' } };
    const shrunk = { ...TWO, data: { name: 'Contrato', tags: [] } };

    expect(diffSnapshots(snapshot([ONE, TWO]), snapshot([reshaped, shrunk]))).toEqual([
      'record "t1" data.stage: not in the snapshot, got "novo"',
      'record "t2" data.amount: expected 20, but it is missing',
    ]);
  });

  it('reports a new order and a new state', () => {
    expect(diffSnapshots(snapshot([ONE, TWO]), snapshot([TWO, ONE], { cursor: '2025-03-02' }))).toEqual([
      'records: the same records arrive in a different order',
      'state.cursor: expected "2025-03-01", got "2025-03-02"',
    ]);
  });

  it('tells repeated ids apart by occurrence', () => {
    const again = { ...ONE, deleted: true };

    expect(diffSnapshots(snapshot([ONE, again]), snapshot([ONE]))).toEqual(['record "t1"#2: in the snapshot but missing from the replay']);
  });

  it('reports mapping errors that changed', () => {
    const failing = { ...ONE, errors: [{ target: 'amount', code: 'NOT_A_NUMBER', message: 'amount is not a number' }] };

    expect(diffSnapshots(snapshot([ONE]), snapshot([failing]))).toEqual([
      'record "t1" errors: expected 0 items, got 1',
    ]);
  });
});
