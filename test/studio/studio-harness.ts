import { existsSync } from 'node:fs';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';
import { startTestPlatform, watchRun, type TestPlatform } from '../e2e/platform-harness.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const ARTIFACTS_DIR = new URL('../.artifacts/studio/', import.meta.url);

export const HUBSPOT_TOKEN = 'studio-e2e-token';
export const ADMIN = { email: 'ana.admin@example.com', name: 'Ana Souza', role: 'admin', password: 'senha-forte-da-ana-1' };
export const VIEWER = { email: 'rui.leitor@example.com', name: 'Rui Lima', role: 'user', password: 'senha-forte-do-rui-1' };

export interface StudioEnvironment {
  simulator: HubSpotSimulator;
  platform: TestPlatform;
  browser: Browser;
  /** The HubSpot connection's id (`conn_…`). */
  connectionId: string;
  /** Opens a new page in a fresh browser context (its own cookies) at the given size. */
  newPage(width: number, height: number): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * Starts what the studio's browser tests need. The HubSpot simulator and the platform run on
 * loopback with a SQLite file. Two studio users (an admin and a read-only user) are created
 * through the API, HubSpot is connected and its contacts synced once, and headless Chromium
 * starts with an empty profile.
 */
export async function startStudioEnvironment(dataDir: string, contacts: number): Promise<StudioEnvironment> {
  const simulator = createHubSpotSimulator({ tokens: [HUBSPOT_TOKEN], seed: { seed: 11, contacts, companies: 20, deals: 20 }, rateLimit: false });
  await simulator.start();
  const platform = await startTestPlatform({ store: { dataDir, logger: silentLogger } });

  for (const user of [ADMIN, VIEWER]) {
    const created = await platform.call('POST', '/v1/users', user);
    if (created.status !== 201) throw new Error(`POST /v1/users for ${user.email} returned ${created.status}: ${JSON.stringify(created.body)}`);
  }

  const connected = await platform.call('POST', '/v1/integrations/hubspot/connect', {
    credentials: { accessToken: HUBSPOT_TOKEN },
    config: { baseUrl: simulator.url, rateLimits: 'providerOnly' },
  });
  if (connected.status !== 200) throw new Error(`Connecting HubSpot returned ${connected.status}: ${JSON.stringify(connected.body)}`);

  const started = await platform.call('POST', '/v1/integrations/hubspot/sync', { type: 'contacts', mode: 'full' });
  if (started.status !== 202) throw new Error(`Starting the first sync returned ${started.status}: ${JSON.stringify(started.body)}`);
  await watchRun(platform, 'hubspot');

  const browser = await launchChromium();

  return {
    simulator,
    platform,
    browser,
    connectionId: connected.body.connectionId,
    async newPage(width, height) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
      await platform.close();
      await simulator.close();
    },
  };
}

/**
 * Starts headless Chromium. Playwright gives it a new, empty temporary profile and deletes it
 * on close, and each browser context is a separate cookie jar on top of it.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Signs in through the studio's form and waits for the integrations list. */
export async function signIn(page: Page, baseUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/studio/`);
  await page.locator('input[name=email]').fill(user.email);
  await page.locator('input[name=password]').fill(user.password);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=integration-hubspot]').waitFor();
}
