export { ConnectorRegistry, loadConnectorRegistry } from './registry.js';
export type { LoadedConnector, RejectedConnector } from './registry.js';
