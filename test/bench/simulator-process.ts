import { fileURLToPath } from 'node:url';

import { startSandboxProcess, type SandboxProcess } from '../../platform/src/demo/index.js';
import { silentLogger } from '../../platform/src/observability/index.js';

const SERVE = fileURLToPath(new URL('../simulators/hubspot/serve.ts', import.meta.url));

/**
 * Starts the HubSpot simulator in its own process, so serving pages does not share the
 * event loop with the code being measured.
 */
export function startSimulatorProcess(contacts: number, token: string): Promise<SandboxProcess> {
  return startSandboxProcess({
    entry: SERVE,
    args: ['--port', '0', '--contacts', String(contacts), '--tied', '300', '--archived', String(Math.floor(contacts / 100)), '--token', token, '--no-rate-limit'],
    logger: silentLogger,
  });
}
