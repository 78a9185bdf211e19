export { ConnectionService, DEFAULT_CONNECTION_NAME } from './connection-service.js';
export type { ConnectRequest, ConnectionServiceOptions } from './connection-service.js';
export { checkConnectionConfig } from './config-check.js';
export { ensureDefaultMappings } from './default-mappings.js';
