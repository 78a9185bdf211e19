import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { createGuardedLookup, type LookupFunction } from './guarded-lookup.js';

// A resolver stub: these tests check the hook's decision and never open a socket.
function fixedResolver(addresses: string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const entries: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0]?.address ?? '', entries[0]?.family);
  };
}

function runLookup(lookup: LookupFunction, all: boolean): Promise<{ error: unknown; address: unknown }> {
  return new Promise((resolve) => {
    lookup('api.example.test', { all }, (error, address) => resolve({ error, address }));
  });
}

describe('createGuardedLookup', () => {
  it('passes public addresses through', async () => {
    const result = await runLookup(createGuardedLookup(fixedResolver(['93.184.216.34'])), false);
    expect(result.error).toBeNull();
    expect(result.address).toBe('93.184.216.34');
  });

  it('rejects a metadata address', async () => {
    const result = await runLookup(createGuardedLookup(fixedResolver(['169.254.169.254'])), false);
    expect(result.error).toBeInstanceOf(LumioError);
    expect((result.error as LumioError).code).toBe('DESTINATION_NOT_ALLOWED');
    expect((result.error as LumioError).message).toContain('api.example.test');
    expect((result.error as LumioError).fault).toBe('connector');
  });

  it('rejects when any address is private', async () => {
    const result = await runLookup(createGuardedLookup(fixedResolver(['93.184.216.34', 'fd00:ec2::254'])), true);
    expect((result.error as LumioError).code).toBe('DESTINATION_NOT_ALLOWED');
    expect((result.error as LumioError).details.address).toBe('fd00:ec2::254');
  });

  it('passes resolver errors through', async () => {
    const failure = Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    const lookup = createGuardedLookup((_hostname, _options, callback) => callback(failure, ''));
    const result = await runLookup(lookup, false);
    expect(result.error).toBe(failure);
  });
});
