export { SandboxHost } from './sandbox-host.js';
export type { PluginCallOptions, PluginConnector, SandboxHostOptions } from './sandbox-host.js';
export { loadPluginBundle } from './plugin-bundle.js';
export type { LoadedPlugin } from './plugin-bundle.js';
export { readObjectPages } from './plugin-stream.js';
export type { PluginStreamState, ReadObjectPagesOptions } from './plugin-stream.js';
export { resolvePluginLimits } from './plugin-limits.js';
export type { HookOutputs, PluginDescription } from './hook-results.js';
export type { KeyResolver } from './capabilities/index.js';
