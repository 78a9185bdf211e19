import { describe, expect, it } from 'vitest';

import { matchBatchResponse, type MatchResponseOptions } from './batch-results.js';

const upsert: MatchResponseOptions = {
  operation: 'batchUpsert',
  primaryKey: 'id',
  matchKey: { canonicalField: 'email', providerPath: 'properties.email', idProperty: 'email' },
  provider: 'HubSpot',
};

function contact(id: string, email: string) {
  return { id, properties: { email } };
}

describe('matchBatchResponse', () => {
  it('pairs upsert results by match value', () => {
    const items = [
      { writeId: 'wr_1', key: 'ana@example.com' },
      { writeId: 'wr_2', key: 'bruno@example.com' },
    ];
    const outcomes = matchBatchResponse(items, [contact('202', 'Bruno@Example.com'), contact('101', 'ana@example.com')], [], upsert);

    expect(outcomes).toEqual([
      { kind: 'written', record: contact('101', 'ana@example.com'), externalId: '101' },
      { kind: 'written', record: contact('202', 'Bruno@Example.com'), externalId: '202' },
    ]);
  });

  it('reports the error that names a record', () => {
    const items = [
      { writeId: 'wr_1', key: 'ana@example.com' },
      { writeId: 'wr_2', key: 'bad@example' },
    ];
    const errors = [
      { status: 'error', category: 'VALIDATION_ERROR', message: 'Email address bad@example is invalid', context: { email: ['bad@example'] } },
      { status: 'error', category: 'OTHER', message: 'Something about someone else', context: { email: ['zed@example.com'] } },
    ];
    const outcomes = matchBatchResponse(items, [contact('101', 'ana@example.com')], errors, upsert);

    expect(outcomes[0]?.kind).toBe('written');
    expect(outcomes[1]).toEqual({
      kind: 'rejected',
      error: {
        code: 'PROVIDER_RECORD_REJECTED',
        message: 'HubSpot rejected this record: Email address bad@example is invalid.',
        details: { providerErrors: [errors[0]] },
      },
    });
  });

  it('gives unnamed errors to records without results', () => {
    const items = [
      { writeId: 'wr_1', key: '1' },
      { writeId: 'wr_2', key: '2' },
    ];
    const errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects' }];
    const outcomes = matchBatchResponse(items, [{ id: '1' }], errors, { ...upsert, operation: 'batchUpdate' });

    expect(outcomes[0]).toMatchObject({ kind: 'written', externalId: '1' });
    expect(outcomes[1]).toMatchObject({ kind: 'rejected', error: { code: 'PROVIDER_RECORD_REJECTED', message: 'HubSpot rejected this record: Could not get some CONTACT objects.' } });
  });

  it('reports a missing result', () => {
    const outcomes = matchBatchResponse([{ writeId: 'wr_1', key: 'ana@example.com' }], [], [], upsert);

    expect(outcomes[0]).toMatchObject({ kind: 'rejected', error: { code: 'PROVIDER_RESULT_MISSING' } });
  });

  it('pairs by position without keys', () => {
    const items = [
      { writeId: 'wr_1', key: undefined },
      { writeId: 'wr_2', key: undefined },
    ];
    const outcomes = matchBatchResponse(items, [{ id: 7 }, { id: 8 }], [], { ...upsert, operation: 'batchCreate', matchKey: undefined });

    expect(outcomes.map((outcome) => (outcome.kind === 'written' ? outcome.externalId : outcome.error.code))).toEqual(['7', '8']);
  });

  it('rejects a result without an id', () => {
    const outcomes = matchBatchResponse([{ writeId: 'wr_1', key: 'ana@example.com' }], [{ properties: { email: 'ana@example.com' } }], [], upsert);

    expect(outcomes[0]).toMatchObject({ kind: 'rejected', error: { code: 'PROVIDER_RESULT_INVALID' } });
  });
});
