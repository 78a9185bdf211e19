/** Error codes with which Node.js and ioredis report an unreachable or lost Redis server. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/**
 * Checks whether an error means that Redis cannot be reached. ioredis reports such an error
 * on every reconnection attempt of every client, so callers log them at a limited rate.
 */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;

  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECTION_ERROR_CODES.has(code)) return true;
  // ioredis rejects commands on a client that ended or is reconnecting with this message.
  return error.message === 'Connection is closed.';
}
