import { LumioError, isLumioError } from '../errors/index.js';
import type { ConnectorContext } from './connector-context.js';
import { executeRequest } from './execute-request.js';
import { ProviderRequestError } from './provider-request-error.js';

export interface ConnectionTestResult {
  ok: boolean;
  /** The provider's HTTP status, or null when no response arrived. */
  status: number | null;
  message: string;
  /** The error code when the test failed, such as `PROVIDER_AUTH_FAILED` or `DESTINATION_NOT_ALLOWED`. */
  code?: string;
}

/**
 * Runs the manifest's `connection.test.request`. A 2xx response means the connection
 * works. A provider error, rejected destination or network failure returns `ok: false`
 * with the reason. Raises `OPERATION_NOT_DEFINED` when the manifest has no test.
 */
export async function testConnection(ctx: ConnectorContext, signal?: AbortSignal): Promise<ConnectionTestResult> {
  const test = ctx.manifest.connection.test;
  if (!test) {
    throw new LumioError(
      'OPERATION_NOT_DEFINED',
      `The connector "${ctx.manifest.id}" declares no connection.test request, so its connections cannot be tested; add one to the manifest.`,
      { status: 500, fault: 'connector', details: { connector: ctx.manifest.id } },
    );
  }

  try {
    const response = await executeRequest(ctx, test.request, {}, { operation: 'test', ...(signal ? { signal } : {}) });
    return { ok: true, status: response.status, message: `Connected to ${ctx.manifest.name}.` };
  } catch (error) {
    if (error instanceof ProviderRequestError) return { ok: false, status: error.providerStatus, message: error.message, code: error.code };
    if (isLumioError(error) && error.code !== 'REQUEST_ABORTED') return { ok: false, status: null, message: error.message, code: error.code };
    throw error;
  }
}
