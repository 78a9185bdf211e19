import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { silentLogger } from '../../../platform/src/observability/index.js';
import { startTestPlatform, watchRun, type TestPlatform } from '../../e2e/platform-harness.js';
import { writeConnectorsFolder, type ConnectorsFolder } from '../../webhooks/support/fixture-connectors.js';
import { ADMIN, launchChromium } from '../studio-harness.js';
import { startWideProvider, WIDE_CONNECTOR_ID, WIDE_OBJECT, WIDE_TOKEN, wideManifest, type WideProvider } from './wide-connector.js';

/** Records the provider serves and the sync stores; the catalogue reads their fields as `seen`. */
export const WIDE_RECORDS = 25;

export interface CanvasEnvironment {
  provider: WideProvider;
  platform: TestPlatform;
  browser: Browser;
  /** Address of the wide connector's mapping page. */
  mappingUrl: string;
  /** Address of the wide connector's connection page, which links to the mapping page. */
  connectionUrl: string;
  /** Opens a browser context signed in as the admin, at 1440×900, with `prepare` applied before the first page. */
  newSignedInPage(prepare?: (context: BrowserContext) => Promise<void>): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * Starts the wide provider, a platform on loopback with a SQLite file and the wide connector
 * as its only connector, and headless Chromium. The connector is connected and synced once,
 * so the records are stored and version 1 of the mapping is the manifest's default.
 */
export async function startCanvasEnvironment(): Promise<CanvasEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lumio-canvas-perf-'));
  let connectors: ConnectorsFolder | undefined;
  let provider: WideProvider | undefined;
  let platform: TestPlatform | undefined;

  try {
    connectors = await writeConnectorsFolder([wideManifest()]);
    provider = await startWideProvider(WIDE_RECORDS);
    platform = await startTestPlatform({ store: { dataDir, logger: silentLogger }, connectorsDir: connectors.dir });
    await prepareConnection(platform, provider.url);
  } catch (error) {
    await platform?.close();
    await provider?.close();
    await connectors?.remove();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const browser = await launchChromium();
  const base = platform.url;
  const running = { provider, platform, connectors };

  return {
    provider,
    platform,
    browser,
    mappingUrl: `${base}/studio/integrations/${WIDE_CONNECTOR_ID}/mappings/${WIDE_OBJECT}`,
    connectionUrl: `${base}/studio/integrations/${WIDE_CONNECTOR_ID}`,
    async newSignedInPage(prepare) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
      // The session cookie lands in the context's cookie jar, which its pages share.
      const login = await context.request.post(`${base}/v1/session`, { data: { email: ADMIN.email, password: ADMIN.password } });
      if (login.status() !== 200) throw new Error(`POST /v1/session returned ${login.status()}: ${await login.text()}`);
      if (prepare) await prepare(context);
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
      await running.platform.close();
      await running.provider.close();
      await running.connectors.remove();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function prepareConnection(platform: TestPlatform, providerUrl: string): Promise<void> {
  const created = await platform.call('POST', '/v1/users', ADMIN);
  if (created.status !== 201) throw new Error(`POST /v1/users returned ${created.status}: ${JSON.stringify(created.body)}`);

  const connected = await platform.call('POST', `/v1/integrations/${WIDE_CONNECTOR_ID}/connect`, {
    credentials: { accessToken: WIDE_TOKEN },
    config: { baseUrl: providerUrl, rateLimits: 'providerOnly' },
  });
  if (connected.status !== 200) throw new Error(`Connecting ${WIDE_CONNECTOR_ID} returned ${connected.status}: ${JSON.stringify(connected.body)}`);

  const started = await platform.call('POST', `/v1/integrations/${WIDE_CONNECTOR_ID}/sync`, { type: WIDE_OBJECT, mode: 'full' });
  if (started.status !== 202) throw new Error(`Starting the sync returned ${started.status}: ${JSON.stringify(started.body)}`);
  const run = await watchRun(platform, WIDE_CONNECTOR_ID);
  if (run.final.lastRun?.status !== 'succeeded') throw new Error(`The sync of ${WIDE_CONNECTOR_ID} did not succeed: ${JSON.stringify(run.final.lastRun)}`);
}
