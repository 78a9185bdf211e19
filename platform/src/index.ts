// Public surface of @lumio/platform for embedding the platform in another process.
export { startPlatform } from './app/index.js';
export type { RunningPlatform } from './app/index.js';
export { loadConfig } from './config/index.js';
export type { PlatformConfig } from './config/index.js';
export { createLogger } from './observability/index.js';
export { LumioError, isLumioError } from './errors/index.js';

// Runtime parts the connector author's CLI (`lumio-connector record`, `test`, `run`) drives
// to read a connector's streams without starting the whole platform.
export { createHttpClient } from './http/index.js';
export { startSharedServices } from './services/pipeline/index.js';
export { checkConnectionConfig } from './connections/index.js';
export { selectAuthMethod } from './auth/index.js';
export { loadPluginBundle, SandboxHost, readObjectPages } from './sandbox/index.js';
export { compileMapping, applyMapping } from './mapping/index.js';
export { getPath, getRecordId } from './runtime/index.js';
