import { describe, expect, it } from 'vitest';

import type { BatchOperationName } from './batch-operations.js';
import { chunkWrites, type PlannedWrite } from './plan-writes.js';

function item(id: string, key: string | undefined, operation: BatchOperationName = 'batchUpsert'): PlannedWrite {
  return { write: { id } as PlannedWrite['write'], operation, key, input: {}, warnings: [] };
}

function ids(chunks: PlannedWrite[][]): string[][] {
  return chunks.map((chunk) => chunk.map((planned) => planned.write.id));
}

describe('chunkWrites', () => {
  it('fills batches up to the size', () => {
    const planned = Array.from({ length: 5 }, (_, index) => item(`w${index}`, `k${index}`));

    expect(ids(chunkWrites(planned, () => 2))).toEqual([['w0', 'w1'], ['w2', 'w3'], ['w4']]);
  });

  it('never repeats a key in a batch', () => {
    const planned = [item('w0', 'a'), item('w1', 'a'), item('w2', 'b'), item('w3', 'a')];

    expect(ids(chunkWrites(planned, () => 10))).toEqual([['w0', 'w2'], ['w1'], ['w3']]);
  });

  it('keeps the order of one key', () => {
    const chunks = chunkWrites([item('w0', 'a'), item('w1', 'b'), item('w2', 'a'), item('w3', 'c')], () => 2);
    const position = (id: string) => chunks.findIndex((chunk) => chunk.some((planned) => planned.write.id === id));

    expect(position('w0')).toBeLessThan(position('w2'));
    expect(chunks.every((chunk) => chunk.length <= 2)).toBe(true);
    expect(chunks.flat()).toHaveLength(4);
  });

  it('separates operations', () => {
    const planned = [item('w0', '1', 'batchUpdate'), item('w1', undefined, 'batchCreate'), item('w2', '2', 'batchUpdate'), item('w3', undefined, 'batchCreate')];

    expect(ids(chunkWrites(planned, () => 10))).toEqual([['w0', 'w2'], ['w1', 'w3']]);
  });

  it('uses the size of each operation', () => {
    const planned = [item('w0', '1', 'batchUpdate'), item('w1', '2', 'batchUpdate'), item('w2', undefined, 'batchCreate'), item('w3', undefined, 'batchCreate')];

    expect(ids(chunkWrites(planned, (operation) => (operation === 'batchUpdate' ? 1 : 5)))).toEqual([['w0'], ['w1'], ['w2', 'w3']]);
  });
});
