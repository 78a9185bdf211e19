import type { HttpClient, HttpRequest, HttpResponse } from '../http/index.js';

/**
 * A provider request as sent, with auth applied, and its outcome. Nothing in it is
 * redacted: the receiver must redact before writing it anywhere.
 */
export interface ProviderExchange {
  /** Operation name, e.g. "list" or "test". */
  operation: string;
  request: HttpRequest;
  /** Absent when no response arrived. */
  response?: HttpResponse;
  /** The error `send` raised when no response arrived. */
  error?: unknown;
  /** Time from the send to the end of the response or the error, in milliseconds. */
  durationMs: number;
  /** The connection's credential values, so the receiver can mask them wherever they appear. */
  secrets: string[];
}

/** Receives a connection's provider requests while debug logging is on for it. */
export interface RequestDebugLog {
  exchange(exchange: ProviderExchange): void;
  /** Logs a step of the shared services, such as a cache lookup or a rate-limit wait. */
  event(fields: Record<string, unknown>, message: string): void;
}

/** Sends one request and passes it, with its response or error, to the debug log. */
export async function sendWithDebugLog(http: HttpClient, request: HttpRequest, log: RequestDebugLog, operation: string, secrets: string[]): Promise<HttpResponse> {
  const started = performance.now();
  try {
    const response = await http.send(request);
    log.exchange({ operation, request, response, durationMs: performance.now() - started, secrets });
    return response;
  } catch (error) {
    log.exchange({ operation, request, error, durationMs: performance.now() - started, secrets });
    throw error;
  }
}
