import type { ConnectionService } from '../connections/index.js';
import { isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import { testConnection } from '../runtime/index.js';
import { createRetryBudget } from '../services/retry/index.js';
import type { Connection, Store } from '../store/index.js';

/** Result of a connection test, as `POST /v1/integrations/{id}/test` returns it. */
export interface ConnectionCheck {
  ok: boolean;
  /** Time the test took, provider request and retries included, in milliseconds. */
  latencyMs: number;
  checkedAt: string;
  /** The provider's HTTP status, or null when no response arrived or no request was sent. */
  providerStatus: number | null;
  error?: { code: string; message: string };
}

/**
 * Sends the manifest's `connection.test` request with the stored credentials, through the
 * shared services with interactive priority and at most one retry, because a person waits
 * on it. The outcome becomes the connection's health. A connection that cannot be opened
 * (disconnected, no credentials) or a connector without a test request returns `ok: false`
 * without changing the health.
 */
export async function checkConnection(connections: ConnectionService, store: Store, logger: Logger, connection: Connection): Promise<ConnectionCheck> {
  const started = performance.now();
  const checkedAt = () => new Date().toISOString();
  const latency = () => Math.round(performance.now() - started);

  let context;
  try {
    context = { ...(await connections.open(connection)).context, priority: 'interactive' as const, retryBudget: createRetryBudget(1) };
  } catch (error) {
    if (!isLumioError(error)) throw error;
    return { ok: false, latencyMs: latency(), checkedAt: checkedAt(), providerStatus: null, error: { code: error.code, message: error.message } };
  }

  let result;
  try {
    result = await testConnection(context);
  } catch (error) {
    if (!isLumioError(error)) throw error;
    return { ok: false, latencyMs: latency(), checkedAt: checkedAt(), providerStatus: null, error: { code: error.code, message: error.message } };
  }

  const check: ConnectionCheck = { ok: result.ok, latencyMs: latency(), checkedAt: checkedAt(), providerStatus: result.status };
  if (!result.ok) check.error = { code: result.code ?? 'CONNECTION_TEST_FAILED', message: result.message };

  const health = result.ok ? { status: 'healthy', checkedAt: check.checkedAt, check: 'test' } : { status: 'unhealthy', checkedAt: check.checkedAt, check: 'test', reason: check.error?.code };
  await store.connections.update(connection.id, { health });
  logger.info({ workspaceId: connection.workspaceId, connectionId: connection.id, ok: check.ok, providerStatus: check.providerStatus, code: check.error?.code, latencyMs: check.latencyMs }, 'connection tested');
  return check;
}
