import type { LoadedConnector } from '../connectors/index.js';
import type { ConnectorContext } from '../runtime/index.js';
import { attachRequestHooks } from './plugin-request-hooks.js';
import type { SandboxHost } from './sandbox-host.js';

/**
 * Returns the connection service's `attachPluginHooks` step. A connector with a plugin gets
 * the plugin's request hooks on every context, and other connectors are left unchanged.
 */
export function pluginHooksAttacher(sandbox: SandboxHost): (connector: LoadedConnector, context: ConnectorContext) => Promise<void> {
  return async (connector, context) => {
    if (connector.plugin) await attachRequestHooks(sandbox, { id: connector.id, plugin: connector.plugin }, context);
  };
}
