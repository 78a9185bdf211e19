import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { startPlatform, type RunningPlatform } from '../../platform/src/app/index.js';
import { formatBanner } from '../../platform/src/cli/banner.js';
import { loadConfig } from '../../platform/src/config/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { createTemporaryDatabase, POSTGRES_ADMIN_URL } from '../store/temporary-database.js';

/** Starts the embedded demo on a data folder, with no connectors so no sandbox starts. */
async function startDemo(dataDir: string, connectorsDir: string, env: Record<string, string> = {}): Promise<RunningPlatform> {
  const config = loadConfig({ PORT: '0', LUMIO_DATA_DIR: dataDir, LUMIO_CONNECTORS_DIR: connectorsDir, LUMIO_DEMO: 'true', LUMIO_PASSWORD_SCRYPT_COST: '14', LOG_LEVEL: 'silent', ...env });
  return startPlatform(config, silentLogger);
}

async function loginStatus(platform: RunningPlatform, email: string, password: string): Promise<number> {
  const response = await fetch(`${platform.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return response.status;
}

describe('demo admin', () => {
  const folders: string[] = [];
  const running: RunningPlatform[] = [];

  const folder = async (prefix: string) => {
    const path = await mkdtemp(join(tmpdir(), prefix));
    folders.push(path);
    return path;
  };

  afterAll(async () => {
    for (const platform of running) await platform.close();
    for (const path of folders) await rm(path, { recursive: true, force: true });
  });

  it('is created once and printed once', async () => {
    const dataDir = await folder('lumio-demo-');
    const connectorsDir = await folder('lumio-connectors-');

    const first = await startDemo(dataDir, connectorsDir);
    running.push(first);
    const password = first.demoAdmin?.createdPassword ?? '';
    const firstBanner = formatBanner(first);
    const firstLogin = await loginStatus(first, 'admin@lumio.local', password);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await startDemo(dataDir, connectorsDir);
    running.push(second);
    const secondBanner = formatBanner(second);
    const secondLogin = await loginStatus(second, 'admin@lumio.local', password);

    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(firstBanner).toContain('admin@lumio.local');
    expect(firstBanner).toContain(password);
    expect(firstLogin).toBe(200);
    expect(second.demoAdmin).toMatchObject({ created: false, createdPassword: null });
    expect(secondBanner).toContain('admin@lumio.local');
    expect(secondBanner).not.toContain(password);
    expect(secondLogin).toBe(200);
  }, 60_000);

  it('takes LUMIO_ADMIN_PASSWORD without printing it', async () => {
    const password = 'chosen by the operator';

    const platform = await startDemo(await folder('lumio-demo-'), await folder('lumio-connectors-'), { LUMIO_ADMIN_PASSWORD: password });
    running.push(platform);
    const banner = formatBanner(platform);

    expect(platform.demoAdmin).toMatchObject({ created: true, createdPassword: null, fromEnvironment: true });
    expect(banner).toContain('LUMIO_ADMIN_PASSWORD');
    expect(banner).not.toContain(password);
    expect(await loginStatus(platform, 'admin@lumio.local', password)).toBe(200);
  }, 60_000);

  it.skipIf(!POSTGRES_ADMIN_URL)('is not created with a configured database', async () => {
    const database = await createTemporaryDatabase('postgres');
    try {
      const platform = await startDemo(database.options.dataDir, await folder('lumio-connectors-'), { DATABASE_URL: database.options.databaseUrl ?? '' });
      running.push(platform);
      const users = await platform.store.users.count('ws_default');
      await platform.close();
      running.splice(running.indexOf(platform), 1);

      expect(platform.demoAdmin).toBeNull();
      expect(users).toBe(0);
    } finally {
      await database.dispose();
    }
  }, 60_000);
});
