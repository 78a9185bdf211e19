import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { silentLogger } from '../observability/index.js';
import { loadMasterKeys } from './master-key.js';

const POSIX = process.platform !== 'win32';

describe('loadMasterKeys', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-master-key-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the environment key', async () => {
    const key = randomBytes(32);

    const loaded = await loadMasterKeys({ masterKey: key.toString('base64'), dataDir, logger: silentLogger });

    expect(loaded.keys).toHaveLength(1);
    expect(loaded.keys[0]!.key.equals(key)).toBe(true);
    expect(loaded.source).toBe('environment');
    expect(loaded.activeKeyId).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
    await expect(stat(path.join(dataDir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a short environment key', async () => {
    const attempt = loadMasterKeys({ masterKey: randomBytes(16).toString('base64'), dataDir, logger: silentLogger });

    await expect(attempt).rejects.toBeInstanceOf(LumioError);
    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  it('rejects a non-base64 environment key', async () => {
    const text = `${'*'.repeat(43)}=`;

    await expect(loadMasterKeys({ masterKey: text, dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  it.skipIf(!POSIX)('creates key file with 0600', async () => {
    const nested = path.join(dataDir, 'nested', 'data');

    const created = await loadMasterKeys({ dataDir: nested, logger: silentLogger });

    const filePath = path.join(nested, 'master.key');
    const stats = await stat(filePath);
    expect(stats.mode & 0o777).toBe(0o600);
    expect(created.source).toBe('file');
    expect(created.path).toBe(filePath);
    expect(created.keys).toHaveLength(1);
    expect(created.keys[0]!.key).toHaveLength(32);
    const lines = (await readFile(filePath, 'utf8')).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).toEqual([created.keys[0]!.key.toString('base64')]);
  });

  it('reuses the key file', async () => {
    const first = await loadMasterKeys({ dataDir, logger: silentLogger });

    const second = await loadMasterKeys({ dataDir, logger: silentLogger });

    expect(second.keys[0]!.key.equals(first.keys[0]!.key)).toBe(true);
    expect(second.activeKeyId).toBe(first.activeKeyId);
  });

  it('treats empty environment key as unset', async () => {
    const loaded = await loadMasterKeys({ masterKey: '', dataDir, logger: silentLogger });

    expect(loaded.source).toBe('file');
  });

  it.skipIf(!POSIX)('rejects key file too open', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await chmod(filePath, 0o644);

    const attempt = loadMasterKeys({ dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_TOO_OPEN' });
    await expect(attempt).rejects.toThrow(filePath);
    await expect(attempt).rejects.toThrow(`chmod 600 ${filePath}`);
    await expect(attempt).rejects.toThrow('0644');
  });

  it.skipIf(!POSIX)('rejects group-readable key file', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await chmod(filePath, 0o640);

    await expect(loadMasterKeys({ dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_TOO_OPEN' });
  });

  it('rejects key file of wrong length', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(31).toString('base64')}\n`, { mode: 0o600 });

    const attempt = loadMasterKeys({ dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_INVALID' });
    await expect(attempt).rejects.toThrow(filePath);
  });
});

describe('loadMasterKeys with several keys', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-master-keys-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function keyId(key: Buffer): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  it('uses LUMIO_MASTER_KEYS in order', async () => {
    const active = randomBytes(32);
    const old = randomBytes(32);

    const loaded = await loadMasterKeys({ masterKeys: [active.toString('base64'), old.toString('base64')], dataDir, logger: silentLogger });

    expect(loaded.source).toBe('environment');
    expect(loaded.activeKeyId).toBe(keyId(active));
    expect(loaded.keys.map((entry) => entry.id)).toEqual([keyId(active), keyId(old)]);
    await expect(stat(path.join(dataDir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a repeated environment key', async () => {
    const key = randomBytes(32).toString('base64');

    await expect(loadMasterKeys({ masterKeys: [key, key], dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  it('rejects a short key in the list', async () => {
    const attempt = loadMasterKeys({ masterKeys: [randomBytes(32).toString('base64'), randomBytes(16).toString('base64')], dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
    await expect(attempt).rejects.toThrow('Entry 2');
  });

  it('reads a key file with several keys', async () => {
    const active = randomBytes(32);
    const old = randomBytes(32);
    const text = `# comment\n\n${active.toString('base64')}\n  ${old.toString('base64')}  \n`;
    await writeFile(path.join(dataDir, 'master.key'), text, { mode: 0o600 });

    const loaded = await loadMasterKeys({ dataDir, logger: silentLogger });

    expect(loaded.source).toBe('file');
    expect(loaded.activeKeyId).toBe(keyId(active));
    expect(loaded.keys.map((entry) => entry.id)).toEqual([keyId(active), keyId(old)]);
  });

  it('names the bad line of a key file', async () => {
    await writeFile(path.join(dataDir, 'master.key'), `${randomBytes(32).toString('base64')}\nnot a key\n`, { mode: 0o600 });

    const attempt = loadMasterKeys({ dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_INVALID' });
    await expect(attempt).rejects.toThrow('Line 2');
  });

  it('rejects a key file with no key', async () => {
    await writeFile(path.join(dataDir, 'master.key'), '# only a comment\n', { mode: 0o600 });

    await expect(loadMasterKeys({ dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_INVALID' });
  });
});
