import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import { checkHookResult } from './hook-results.js';
import type { CallFacts } from './plugin-errors.js';

const FACTS: CallFacts = {
  connectorId: 'acme',
  hook: 'transformPage',
  action: null,
  bundleHash: 'f'.repeat(64),
  limits: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 30_000 },
  maxResultBytes: 1024,
};

function failure(action: () => unknown): LumioError {
  try {
    action();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('the result was accepted');
}

describe('checkHookResult', () => {
  it('accepts what each hook must return', () => {
    expect(checkHookResult('transformPage', [{ id: 1 }], FACTS)).toEqual([{ id: 1 }]);
    expect(checkHookResult('verifyWebhook', false, FACTS)).toBe(false);
    expect(checkHookResult('paginate', null, FACTS)).toBeNull();
    expect(checkHookResult('paginate', { method: 'GET', path: '/items', query: { page: 2 } }, FACTS)).toEqual({ method: 'GET', path: '/items', query: { page: 2 } });
    expect(checkHookResult('buildRequest', { method: 'POST', url: 'https://api.acme.test/x', body: { a: 1 }, extra: 1 }, FACTS)).toEqual({
      method: 'POST',
      url: 'https://api.acme.test/x',
      body: { a: 1 },
    });
    expect(checkHookResult('readStream', { records: [], nextState: null, cursor: '2024' }, FACTS)).toEqual({ records: [], nextState: null, cursor: '2024' });
    expect(checkHookResult('action', undefined, FACTS)).toBeNull();
    expect(checkHookResult('describe', { hooks: ['transformPage'], actions: [] }, FACTS)).toEqual({ hooks: ['transformPage'], actions: [] });
  });

  it('keeps the known fields of webhook events', () => {
    const events = checkHookResult('parseWebhook', [{ type: 'contact.created', id: 7, payload: { a: 1 } }, { type: 'ping' }], FACTS);

    expect(events).toEqual([
      { type: 'contact.created', id: 7, payload: { a: 1 } },
      { type: 'ping', payload: null },
    ]);
  });

  it.each([
    ['transformPage', { records: [] }, 'must be an array of records'],
    ['transformPage', undefined, 'returned undefined'],
    ['verifyWebhook', 'yes', 'must be true or false'],
    ['paginate', { method: 'GET' }, 'give exactly one of path and url'],
    ['buildRequest', { method: 'TRACE', path: '/x' }, 'method must be one of'],
    ['buildRequest', { method: 'GET', path: 'x' }, 'path must be a string starting with "/"'],
    ['buildRequest', { method: 'GET', path: '/x', headers: { 'bad name': 'v' } }, 'headers must be'],
    ['buildRequest', { method: 'GET', path: '/x', query: { a: { b: 1 } } }, 'query must be'],
    ['parseWebhook', [{ payload: {} }], 'event 0 needs a non-empty string type'],
    ['parseWebhook', [{ type: 'x', id: true }], 'the id of event 0'],
    ['parseWebhook', 'events', 'must be an array of events'],
    ['readStream', { records: 'x', nextState: null }, 'records must be an array'],
    ['readStream', { records: [] }, 'nextState is missing'],
    ['describe', { hooks: 'transformPage' }, 'must list hooks and actions'],
  ] as const)('rejects a %s result %j', (hook, value, problem) => {
    const error = failure(() => checkHookResult(hook, value, { ...FACTS, hook }));

    expect(error.code).toBe('PLUGIN_RESULT_INVALID');
    expect(error.message).toContain(problem);
    expect(error.details).toMatchObject({ connectorId: 'acme', hook, bundleHash: FACTS.bundleHash });
  });
});
