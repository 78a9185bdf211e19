import { describe, expect, it } from 'vitest';

import { checkPassword, hashPassword, verifyPassword } from '../../platform/src/access/index.js';
import { needsRehash } from '../../platform/src/access/passwords.js';
import { recomputeScrypt } from './support/independent-scrypt.js';

const FAST = { logN: 14, r: 8, p: 1 };

describe('password hashing', () => {
  it('matches an independent scrypt computation', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    const { expected, actual } = recomputeScrypt(stored, 'correct horse battery');

    expect(stored).toMatch(/^scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(actual).toBe(expected);
  });

  it('uses a new salt each time', async () => {
    const first = await hashPassword('correct horse battery', FAST);
    const second = await hashPassword('correct horse battery', FAST);

    expect(first.split('$')[2]).not.toBe(second.split('$')[2]);
    expect(first).not.toBe(second);
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery', FAST);

    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('rejects damaged hashes without throwing', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    const truncated = stored.slice(0, -4);
    const hostile = stored.replace('ln=14', 'ln=40');

    expect(await verifyPassword('correct horse battery', truncated)).toBe(false);
    expect(await verifyPassword('correct horse battery', hostile)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain text')).toBe(false);
  });

  it('uses the default cost of 2^17', async () => {
    const stored = await hashPassword('correct horse battery');
    const { expected, actual } = recomputeScrypt(stored, 'correct horse battery');

    expect(stored.startsWith('scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(actual).toBe(expected);
  });

  it('asks for a new hash after the cost rises', async () => {
    const stored = await hashPassword('correct horse battery', FAST);

    expect(needsRehash(stored, FAST)).toBe(false);
    expect(needsRehash(stored, { ...FAST, logN: 15 })).toBe(true);
  });

  it('checks the password length', () => {
    expect(() => checkPassword('elevenchars')).toThrow(expect.objectContaining({ code: 'PASSWORD_TOO_SHORT', status: 400 }));
    expect(() => checkPassword(12345678901234)).toThrow(expect.objectContaining({ code: 'PASSWORD_INVALID' }));
    expect(() => checkPassword('x'.repeat(1025))).toThrow(expect.objectContaining({ code: 'PASSWORD_TOO_LONG' }));
    expect(checkPassword('twelve chars')).toBe('twelve chars');
  });

  it('counts characters, not bytes', () => {
    // Twelve characters of two or three bytes each in UTF-8.
    expect(checkPassword('ççççççãããããã')).toBe('ççççççãããããã');
    expect(() => checkPassword('😀😀😀😀😀😀')).toThrow(expect.objectContaining({ code: 'PASSWORD_TOO_SHORT' }));
  });
});
