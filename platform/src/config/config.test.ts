import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { isLumioError } from '../errors/index.js';
import { loadConfig } from './config.js';

function configError(env: Record<string, string>): { variable: unknown; message: string } {
  try {
    loadConfig(env, '/srv/lumio');
  } catch (error) {
    if (isLumioError(error)) return { variable: error.details.variable, message: error.message };
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('uses embedded defaults', () => {
    const config = loadConfig({}, '/srv/lumio');

    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe('/srv/lumio/.lumio');
    expect(config.connectorsDir).toBe('/srv/lumio/connectors');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demo).toBe(true);
    expect(config.allowPrivateNetwork).toBe(true);
  });

  it('turns the demo and loopback off in production', () => {
    const config = loadConfig({ NODE_ENV: 'production' }, '/srv/lumio');

    expect(config.demo).toBe(false);
    expect(config.allowPrivateNetwork).toBe(false);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ LUMIO_MASTER_KEY: Buffer.alloc(16).toString('base64') }, 'LUMIO_MASTER_KEY'],
    [{ LUMIO_ADMIN_API_KEY: 'short' }, 'LUMIO_ADMIN_API_KEY'],
    [{ LUMIO_DEMO: 'maybe' }, 'LUMIO_DEMO'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'production', LUMIO_DEMO: 'true' }, 'LUMIO_DEMO'],
    [{ LUMIO_SANDBOX_MEMORY_MB: '4' }, 'LUMIO_SANDBOX_MEMORY_MB'],
    [{ LUMIO_SANDBOX_CPU_MS: '1.5' }, 'LUMIO_SANDBOX_CPU_MS'],
    [{ LUMIO_SANDBOX_WALL_MS: 'soon' }, 'LUMIO_SANDBOX_WALL_MS'],
    [{ LUMIO_SANDBOX_MAX_CPU_MS: '0' }, 'LUMIO_SANDBOX_MAX_CPU_MS'],
    [{ LUMIO_SANDBOX_MAX_RESULT_BYTES: '10' }, 'LUMIO_SANDBOX_MAX_RESULT_BYTES'],
    [{ LUMIO_SANDBOX_CPU_MS: '5000', LUMIO_SANDBOX_MAX_CPU_MS: '2000' }, 'LUMIO_SANDBOX_CPU_MS'],
  ])('rejects %j naming the variable', (env, variable) => {
    const error = configError(env);

    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('uses default sandbox limits', () => {
    const { sandbox } = loadConfig({}, '/srv/lumio');

    expect(sandbox.defaults).toEqual({ memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 30_000 });
    expect(sandbox.maximums).toEqual({ memoryMb: 512, cpuTimeMs: 30_000, wallTimeMs: 300_000 });
    expect(sandbox.maxResultBytes).toBe(8 * 1024 * 1024);
  });

  it('reads sandbox limits from the environment', () => {
    const { sandbox } = loadConfig(
      {
        LUMIO_SANDBOX_MEMORY_MB: '32',
        LUMIO_SANDBOX_CPU_MS: '250',
        LUMIO_SANDBOX_WALL_MS: '2000',
        LUMIO_SANDBOX_MAX_MEMORY_MB: '128',
        LUMIO_SANDBOX_MAX_CPU_MS: '5000',
        LUMIO_SANDBOX_MAX_WALL_MS: '60000',
        LUMIO_SANDBOX_MAX_RESULT_BYTES: '65536',
      },
      '/srv/lumio',
    );

    expect(sandbox.defaults).toEqual({ memoryMb: 32, cpuTimeMs: 250, wallTimeMs: 2000 });
    expect(sandbox.maximums).toEqual({ memoryMb: 128, cpuTimeMs: 5000, wallTimeMs: 60_000 });
    expect(sandbox.maxResultBytes).toBe(65_536);
  });

  it('lowers sandbox defaults to smaller maximums', () => {
    const { sandbox } = loadConfig({ LUMIO_SANDBOX_MAX_MEMORY_MB: '16', LUMIO_SANDBOX_MAX_WALL_MS: '5000' }, '/srv/lumio');

    expect(sandbox.defaults.memoryMb).toBe(16);
    expect(sandbox.defaults.wallTimeMs).toBe(5000);
    expect(sandbox.defaults.cpuTimeMs).toBe(1000);
  });

  it('uses default job and sync settings', () => {
    const config = loadConfig({}, '/srv/lumio');

    expect(config.jobs).toEqual({ lockMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 5 });
    expect(config.sync).toEqual({ concurrency: 4, schedulerIntervalMs: 15_000 });
  });

  it('reads job and sync settings', () => {
    const config = loadConfig(
      { LUMIO_JOB_LOCK_MS: '1000', LUMIO_JOB_STALLED_INTERVAL_MS: '250', LUMIO_JOB_MAX_STALLED_COUNT: '0', LUMIO_SYNC_CONCURRENCY: '2', LUMIO_SYNC_SCHEDULER_INTERVAL_MS: '500' },
      '/srv/lumio',
    );

    expect(config.jobs).toEqual({ lockMs: 1000, stalledIntervalMs: 250, maxStalledCount: 0 });
    expect(config.sync).toEqual({ concurrency: 2, schedulerIntervalMs: 500 });
  });

  it('reads webhook settings', () => {
    expect(loadConfig({}, '/srv/lumio').webhooks.lockMs).toBe(60_000);
    expect(loadConfig({ LUMIO_WEBHOOK_LOCK_MS: '3000', LUMIO_WEBHOOK_RATE_PER_SECOND: '50' }, '/srv/lumio').webhooks).toMatchObject({ lockMs: 3000, ratePerSecond: 50 });
  });

  it.each([
    ['LUMIO_WEBHOOK_LOCK_MS', '999'],
    ['LUMIO_WEBHOOK_LOCK_MS', 'abc'],
    ['LUMIO_WEBHOOK_MAX_BODY_BYTES', '10'],
    ['LUMIO_JOB_LOCK_MS', '99'],
    ['LUMIO_JOB_STALLED_INTERVAL_MS', 'soon'],
    ['LUMIO_SYNC_CONCURRENCY', '0'],
    ['LUMIO_SYNC_SCHEDULER_INTERVAL_MS', '50'],
  ])('rejects %s=%s', (variable, value) => {
    expect(configError({ [variable]: value }).variable).toBe(variable);
  });

  it('reads a config file under the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-config-'));
    const file = join(dir, 'lumio.json');
    await writeFile(file, JSON.stringify({ PORT: 4000, LOG_LEVEL: 'debug' }));

    const config = loadConfig({ LUMIO_CONFIG_FILE: file, LOG_LEVEL: 'warn' }, dir);

    expect(config.port).toBe(4000);
    expect(config.logLevel).toBe('warn');
  });

  it('rejects an unknown name in the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-config-'));
    const file = join(dir, 'lumio.json');
    await writeFile(file, JSON.stringify({ PROT: 4000 }));

    expect(() => loadConfig({ LUMIO_CONFIG_FILE: file }, dir)).toThrow(/PROT in .* is not a setting/);
  });

  it('names the file of a bad value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-config-'));
    const file = join(dir, 'lumio.json');
    await writeFile(file, JSON.stringify({ PORT: 'abc' }));

    expect(() => loadConfig({ LUMIO_CONFIG_FILE: file }, dir)).toThrow(`(set in ${file})`);
  });

  it('rejects a config file that is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumio-config-'));
    const file = join(dir, 'lumio.json');
    await writeFile(file, 'PORT=4000');

    expect(() => loadConfig({ LUMIO_CONFIG_FILE: file }, dir)).toThrow(/not valid JSON/);
  });
});
