import type { PluginStateRepository } from '../../store/index.js';
import { LumioError } from '../../errors/index.js';
import { invalidHostCall } from './host-call-error.js';

/** Maximum length of a state key, in characters. */
export const MAX_STATE_KEY_LENGTH = 200;
/** Maximum size of a state value, in bytes of JSON. */
export const MAX_STATE_VALUE_BYTES = 64 * 1024;
/** Maximum number of keys per connection. */
export const MAX_STATE_KEYS = 1000;

/** Runs `context.state.get`, `set` or `delete` for one connection. */
export async function runStateCall(repository: PluginStateRepository, connectionId: string, method: string, args: unknown[]): Promise<unknown> {
  const key = checkKey(method, args[0]);

  switch (method) {
    case 'get':
      return (await repository.get(connectionId, key))?.value ?? null;
    case 'delete':
      return repository.delete(connectionId, key);
    case 'set':
      await setValue(repository, connectionId, key, args[1]);
      return null;
    default:
      throw invalidHostCall(`state.${method}`, 'the state capability has get, set and delete');
  }
}

async function setValue(repository: PluginStateRepository, connectionId: string, key: string, value: unknown): Promise<void> {
  if (value === undefined) throw invalidHostCall('state.set', 'the value is missing; use state.delete to remove a key');
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_STATE_VALUE_BYTES) throw invalidHostCall('state.set', `the value is ${bytes} bytes of JSON, over the limit of ${MAX_STATE_VALUE_BYTES}`);

  const exists = (await repository.get(connectionId, key)) !== null;
  if (!exists && (await repository.count(connectionId)) >= MAX_STATE_KEYS) {
    throw new LumioError('PLUGIN_STATE_FULL', `Connection ${connectionId} already has ${MAX_STATE_KEYS} plugin state keys; delete keys it no longer needs.`, {
      status: 502,
      fault: 'connector',
      details: { connectionId, limit: MAX_STATE_KEYS },
    });
  }
  await repository.set(connectionId, key, value);
}

function checkKey(method: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_STATE_KEY_LENGTH) {
    throw invalidHostCall(`state.${method}`, `the key must be a string of 1 to ${MAX_STATE_KEY_LENGTH} characters`);
  }
  return key;
}
