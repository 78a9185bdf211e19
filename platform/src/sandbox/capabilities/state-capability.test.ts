import { describe, expect, it } from 'vitest';

import { isLumioError } from '../../errors/index.js';
import type { PluginStateEntry, PluginStateRepository } from '../../store/index.js';
import { MAX_STATE_KEYS, MAX_STATE_VALUE_BYTES, runStateCall } from './state-capability.js';

/** Builds an in-memory stand-in for the repository. The store tests cover the real one. */
function memoryRepository(): PluginStateRepository & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  const key = (connectionId: string, name: string) => `${connectionId}/${name}`;
  return {
    entries,
    async get(connectionId, name): Promise<PluginStateEntry | null> {
      const id = key(connectionId, name);
      return entries.has(id) ? { connectionId, key: name, value: entries.get(id), updatedAt: new Date(0).toISOString() } : null;
    },
    async set(connectionId, name, value) {
      entries.set(key(connectionId, name), value);
    },
    async delete(connectionId, name) {
      return entries.delete(key(connectionId, name));
    },
    async count(connectionId) {
      return [...entries.keys()].filter((id) => id.startsWith(`${connectionId}/`)).length;
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isLumioError(error)) throw new Error('the call did not fail with a LumioError');
  return error.code;
}

describe('runStateCall', () => {
  it('sets, gets and deletes a value', async () => {
    const repository = memoryRepository();

    expect(await runStateCall(repository, 'conn_1', 'set', ['cursor', { after: '10' }])).toBeNull();
    expect(await runStateCall(repository, 'conn_1', 'get', ['cursor'])).toEqual({ after: '10' });
    expect(await runStateCall(repository, 'conn_1', 'delete', ['cursor'])).toBe(true);
    expect(await runStateCall(repository, 'conn_1', 'get', ['cursor'])).toBeNull();
    expect(await runStateCall(repository, 'conn_1', 'delete', ['cursor'])).toBe(false);
  });

  it.each([[''], ['k'.repeat(201)], [12], [undefined]])('rejects the key %j', async (key) => {
    expect(await codeOf(runStateCall(memoryRepository(), 'conn_1', 'get', [key]))).toBe('PLUGIN_HOST_CALL_INVALID');
  });

  it('rejects a missing value', async () => {
    expect(await codeOf(runStateCall(memoryRepository(), 'conn_1', 'set', ['key']))).toBe('PLUGIN_HOST_CALL_INVALID');
  });

  it('rejects a value over the size limit', async () => {
    const value = 'x'.repeat(MAX_STATE_VALUE_BYTES);

    expect(await codeOf(runStateCall(memoryRepository(), 'conn_1', 'set', ['key', value]))).toBe('PLUGIN_HOST_CALL_INVALID');
  });

  it('refuses a new key once the connection is full', async () => {
    const repository = memoryRepository();
    for (let index = 0; index < MAX_STATE_KEYS; index += 1) repository.entries.set(`conn_1/key-${index}`, index);

    expect(await codeOf(runStateCall(repository, 'conn_1', 'set', ['one-more', 1]))).toBe('PLUGIN_STATE_FULL');
    // Replacing an existing key and other connections still work.
    await runStateCall(repository, 'conn_1', 'set', ['key-5', 'replaced']);
    await runStateCall(repository, 'conn_2', 'set', ['first', 1]);
    expect(repository.entries.get('conn_1/key-5')).toBe('replaced');
    expect(repository.entries.get('conn_2/first')).toBe(1);
  });

  it('rejects an unknown method', async () => {
    expect(await codeOf(runStateCall(memoryRepository(), 'conn_1', 'clear', ['key']))).toBe('PLUGIN_HOST_CALL_INVALID');
  });
});
