import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ConnectionService } from '../connections/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

const REPOSITORY_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const SIMULATOR_ENTRY = join(REPOSITORY_ROOT, 'test/simulators/hubspot/serve.ts');

/** Contacts the sandbox serves: enough to watch a sync's progress, as many as the acceptance runs use. */
export const SANDBOX_CONTACTS = 25_000;

export interface HubSpotSandbox {
  url: string;
  accessToken: string;
  connectionId: string | null;
  stop(): Promise<void>;
}

export interface StartHubSpotSandboxOptions {
  store: Store;
  connections: ConnectionService;
  workspaceId: string;
  dataDir: string;
  logger: Logger;
}

/** Demo state kept between starts, so the demo updates its own connection and no other. */
interface DemoState {
  connectionId: string;
  baseUrl: string;
}

/**
 * Starts the bundled HubSpot simulator (a sandbox: fake data, no account) and points the
 * workspace's default HubSpot connection at it. A connection the user has since pointed
 * elsewhere is left alone.
 */
export async function startHubSpotSandbox(options: StartHubSpotSandboxOptions): Promise<HubSpotSandbox> {
  const { store, connections, workspaceId, dataDir, logger } = options;
  const accessToken = `sandbox-${randomBytes(12).toString('hex')}`;

  const simulator: SandboxProcess = await startSandboxProcess({
    entry: SIMULATOR_ENTRY,
    // The sandbox enforces HubSpot's default limits (100 requests per 10 s, 5 searches a
    // second), so a full sync of its contacts takes about half a minute, as it would on HubSpot.
    args: ['--port', '0', '--contacts', String(SANDBOX_CONTACTS), '--companies', '500', '--deals', '1000', '--token', accessToken, '--control'],
    logger,
  });

  const statePath = join(dataDir, 'demo-sandbox.json');
  const previous = await readDemoState(statePath);
  const existing = (await store.connections.findByConnector(workspaceId, 'hubspot')).find((c) => c.name === 'default');

  let connectionId: string | null = null;
  const ours = !existing || (previous && previous.connectionId === existing.id && existing.config.baseUrl === previous.baseUrl);
  if (ours) {
    // Other settings the user gave the sandbox connection (such as rateLimits) are kept.
    const connection = await connections.connect(workspaceId, 'hubspot', {
      credentials: { accessToken },
      config: { ...existing?.config, baseUrl: simulator.url },
      name: 'default',
    });
    connectionId = connection.id;
    await writeFile(statePath, JSON.stringify({ connectionId, baseUrl: simulator.url } satisfies DemoState), { mode: 0o600 });
  } else {
    logger.info({ connectionId: existing?.id }, 'the HubSpot connection points away from the sandbox; the demo leaves it as it is');
  }

  return { url: simulator.url, accessToken, connectionId, stop: simulator.stop };
}

async function readDemoState(path: string): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DemoState;
  } catch {
    return null;
  }
}
