import type { PluginPageResponse } from '@lumio/plugin-sdk';

import type { ConnectorContext, RequestHooks } from '../runtime/index.js';
import { toHttpRequest, toPluginRequest } from './plugin-request.js';
import type { PluginConnector, SandboxHost } from './sandbox-host.js';

/**
 * Gives the context the plugin's `buildRequest` and `paginate` hooks, for the hooks the
 * plugin defines, so declared reads and actions call them. Auth is applied after both
 * hooks, so the plugin sees no credentials. The hooks' requests still pass the allowed-
 * hosts check when they are sent. The connection service runs this for every context it
 * builds (see `pluginHooksAttacher`).
 */
export async function attachRequestHooks(sandbox: SandboxHost, connector: PluginConnector, context: ConnectorContext): Promise<void> {
  const { hooks } = await sandbox.describe(connector);
  const requestHooks: RequestHooks = {};

  if (hooks.includes('buildRequest')) {
    requestHooks.prepare = async (request, info) => {
      const changed = await sandbox.call(connector, 'buildRequest', toPluginRequest(request), { context, ...(info.object ? { object: info.object } : {}), ...(request.signal ? { signal: request.signal } : {}) });
      return toHttpRequest(context, changed, request.signal);
    };
  }

  if (hooks.includes('paginate')) {
    requestHooks.nextPage = async (response, request, info) => {
      const page: PluginPageResponse = { status: response.status, headers: response.headers, body: response.body, request: toPluginRequest(request) };
      const next = await sandbox.call(connector, 'paginate', page, { context, ...(info.object ? { object: info.object } : {}), ...(request.signal ? { signal: request.signal } : {}) });
      return next === null ? null : toHttpRequest(context, next);
    };
  }

  if (requestHooks.prepare || requestHooks.nextPage) context.requestHooks = requestHooks;
}
