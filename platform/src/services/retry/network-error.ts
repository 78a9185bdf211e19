import { isLumioError } from '../../errors/index.js';

// Codes the platform's http client gives a request that got no response.
const CLIENT_NETWORK_CODES = new Set(['PROVIDER_UNREACHABLE', 'PROVIDER_TIMEOUT']);

// Node.js and undici codes of a connection that failed, reset or timed out, for
// operations that do not go through the platform's http client.
const SOCKET_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const MAX_CAUSE_DEPTH = 5;

/**
 * Tests whether an error means the provider sent no response: the http client's
 * `PROVIDER_UNREACHABLE` and `PROVIDER_TIMEOUT`, a connection reset or refused, or a
 * `TimeoutError` from `AbortSignal.timeout`. The cause chain is searched because undici
 * wraps socket errors. Other Lumio errors (a caller abort, a blocked host) are not.
 */
export function isNetworkError(error: unknown): boolean {
  if (isLumioError(error)) return CLIENT_NETWORK_CODES.has(error.code);

  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    if (current.name === 'TimeoutError') return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** Returns the code of an error for logs and dead-letter records: a Lumio code, else a Node.js or undici code. */
export function readErrorCode(error: unknown): string | undefined {
  if (isLumioError(error)) return error.code;

  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.name : undefined;
}
