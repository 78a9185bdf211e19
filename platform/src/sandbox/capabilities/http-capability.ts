import type { PluginHttpResponse } from '@lumio/plugin-sdk';

import { dispatchRequest, type ConnectorContext, type RequestInfo } from '../../runtime/index.js';
import { readPluginRequest, toHttpRequest } from '../plugin-request.js';
import { invalidHostCall } from './host-call-error.js';

export interface HttpCallScope {
  context: ConnectorContext;
  object: string | null;
  /** Aborted when the plugin call ends, so its requests stop with it. */
  signal: AbortSignal;
}

/**
 * Sends a plugin's request through the platform's pipeline: the allowed-hosts check, the
 * connection's auth, rate limits, retries and circuit breaker. The plugin gets status,
 * headers and parsed body back; a non-2xx status raises the provider error.
 */
export async function sendPluginRequest(scope: HttpCallScope, args: unknown[]): Promise<PluginHttpResponse> {
  const read = readPluginRequest(args[0]);
  if ('problem' in read) throw invalidHostCall('http.request', read.problem);
  const { request } = read;

  const httpRequest = toHttpRequest(scope.context, request, scope.signal);

  const info: RequestInfo = { operation: 'plugin' };
  if (scope.object !== null) info.object = scope.object;
  const response = await dispatchRequest(scope.context, httpRequest, info);
  return { status: response.status, headers: response.headers, body: response.body };
}
