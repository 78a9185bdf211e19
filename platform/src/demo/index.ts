export { startHubSpotSandbox, SANDBOX_CONTACTS } from './hubspot-sandbox.js';
export type { HubSpotSandbox } from './hubspot-sandbox.js';
export { startSandboxProcess } from './sandbox-process.js';
export type { SandboxProcess, StartSandboxOptions } from './sandbox-process.js';
