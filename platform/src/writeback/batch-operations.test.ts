import { createHash } from 'node:crypto';

import type { BatchOperation, ObjectDefinition } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { buildBatchInput, chooseOperations, computeIdempotencyKey, usesIdempotencyKey } from './batch-operations.js';

const batch: BatchOperation = { method: 'POST', path: '/batch', maxBatchSize: 100, inputsPath: 'inputs', resultsSelector: { path: 'results' } };

function definition(operations: ObjectDefinition['operations']): ObjectDefinition {
  return { label: 'Contacts', description: 'People.', recordSchema: { type: 'object', properties: {} }, primaryKey: 'id', operations };
}

describe('chooseOperations', () => {
  it('prefers upsert for creates and update for updates', () => {
    expect(chooseOperations(definition({ batchUpsert: batch, batchCreate: batch, batchUpdate: batch }))).toEqual({ create: 'batchUpsert', update: 'batchUpdate' });
    expect(chooseOperations(definition({ batchUpsert: batch }))).toEqual({ create: 'batchUpsert', update: 'batchUpsert' });
    expect(chooseOperations(definition({ batchCreate: batch }))).toEqual({ create: 'batchCreate', update: undefined });
    expect(chooseOperations(definition({ get: { method: 'GET', path: '/x' } }))).toEqual({ create: undefined, update: undefined });
  });
});

describe('buildBatchInput', () => {
  const payload = { properties: { email: 'ana@example.com', firstname: 'Ana' } };
  const matchKey = { canonicalField: 'email', providerPath: 'properties.email', idProperty: 'email' };

  it('adds idProperty and id to an upsert', () => {
    expect(buildBatchInput('batchUpsert', definition({}), payload, { matchKey, matchValue: 'ana@example.com' })).toEqual({ ...payload, idProperty: 'email', id: 'ana@example.com' });
  });

  it('adds the external id to an update', () => {
    expect(buildBatchInput('batchUpdate', definition({}), payload, { externalId: '101' })).toEqual({ ...payload, id: '101' });
  });

  it('leaves a create and the payload unchanged', () => {
    const input = buildBatchInput('batchCreate', definition({}), payload, { matchKey });
    input.extra = true;

    expect(input).toEqual({ ...payload, extra: true });
    expect(payload).toEqual({ properties: { email: 'ana@example.com', firstname: 'Ana' } });
  });
});

describe('idempotency keys', () => {
  it('detects the template variable', () => {
    expect(usesIdempotencyKey(batch)).toBe(false);
    expect(usesIdempotencyKey({ ...batch, headers: { 'Idempotency-Key': '{{ idempotencyKey }}' } })).toBe(true);
    expect(usesIdempotencyKey({ ...batch, body: { options: { requestId: '{{ idempotencyKey }}' } } })).toBe(true);
  });

  it('depends on the write ids only', () => {
    const expected = createHash('sha256').update('wr_a\nwr_b').digest('hex').slice(0, 48);

    expect(computeIdempotencyKey(['wr_b', 'wr_a'])).toBe(expected);
    expect(computeIdempotencyKey(['wr_a', 'wr_b'])).toBe(expected);
    expect(computeIdempotencyKey(['wr_a', 'wr_c'])).not.toBe(expected);
  });
});
