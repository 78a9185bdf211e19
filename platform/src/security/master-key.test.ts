import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { silentLogger } from '../observability/index.js';
import { loadMasterKey } from './master-key.js';

const POSIX = process.platform !== 'win32';

describe('loadMasterKey', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lumio-master-key-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the environment key', async () => {
    const key = randomBytes(32);

    const loaded = await loadMasterKey({ masterKey: key.toString('base64'), dataDir, logger: silentLogger });

    expect(loaded.key.equals(key)).toBe(true);
    expect(loaded.source).toBe('environment');
    expect(loaded.id).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
    await expect(stat(path.join(dataDir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a short environment key', async () => {
    const attempt = loadMasterKey({ masterKey: randomBytes(16).toString('base64'), dataDir, logger: silentLogger });

    await expect(attempt).rejects.toBeInstanceOf(LumioError);
    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  it('rejects a non-base64 environment key', async () => {
    const text = `${'*'.repeat(43)}=`;

    await expect(loadMasterKey({ masterKey: text, dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  it.skipIf(!POSIX)('creates key file with 0600', async () => {
    const nested = path.join(dataDir, 'nested', 'data');

    const created = await loadMasterKey({ dataDir: nested, logger: silentLogger });

    const filePath = path.join(nested, 'master.key');
    const stats = await stat(filePath);
    expect(stats.mode & 0o777).toBe(0o600);
    expect(created.source).toBe('file');
    expect(created.path).toBe(filePath);
    expect(created.key).toHaveLength(32);
    expect(Buffer.from((await readFile(filePath, 'utf8')).trim(), 'base64').equals(created.key)).toBe(true);
  });

  it('reuses the key file', async () => {
    const first = await loadMasterKey({ dataDir, logger: silentLogger });

    const second = await loadMasterKey({ dataDir, logger: silentLogger });

    expect(second.key.equals(first.key)).toBe(true);
    expect(second.id).toBe(first.id);
  });

  it('treats empty environment key as unset', async () => {
    const loaded = await loadMasterKey({ masterKey: '', dataDir, logger: silentLogger });

    expect(loaded.source).toBe('file');
  });

  it.skipIf(!POSIX)('rejects key file too open', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await chmod(filePath, 0o644);

    const attempt = loadMasterKey({ dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_TOO_OPEN' });
    await expect(attempt).rejects.toThrow(filePath);
    await expect(attempt).rejects.toThrow(`chmod 600 ${filePath}`);
    await expect(attempt).rejects.toThrow('0644');
  });

  it.skipIf(!POSIX)('rejects group-readable key file', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await chmod(filePath, 0o640);

    await expect(loadMasterKey({ dataDir, logger: silentLogger })).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_TOO_OPEN' });
  });

  it('rejects key file of wrong length', async () => {
    const filePath = path.join(dataDir, 'master.key');
    await writeFile(filePath, `${randomBytes(31).toString('base64')}\n`, { mode: 0o600 });

    const attempt = loadMasterKey({ dataDir, logger: silentLogger });

    await expect(attempt).rejects.toMatchObject({ code: 'MASTER_KEY_FILE_INVALID' });
    await expect(attempt).rejects.toThrow(filePath);
  });
});
