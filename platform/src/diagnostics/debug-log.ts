import { isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { ProviderExchange, RequestDebugLog } from '../runtime/index.js';
import { maskText, redactBody, redactHeaders, redactQuery, redactUrl, secretForms } from './redact.js';

/** Logged bodies are cut to this many characters of their redacted JSON. */
export const MAX_LOGGED_BODY_CHARS = 8_192;

/**
 * Creates the debug log of one connection: a child logger at `debug` level, whatever the
 * platform's level, that writes every provider request and response with headers, URL
 * and bodies redacted. Returns null when the platform logger is silent.
 */
export function createDebugLog(logger: Logger, connectionId: string, expiresAt: number): RequestDebugLog | null {
  if (logger.level === 'silent') return null;
  const log = logger.child({ component: 'connection-debug', connectionId, debugUntil: new Date(expiresAt).toISOString() }, { level: 'debug' });

  return {
    exchange(exchange) {
      log.debug(describeExchange(exchange), 'provider request');
    },
    event(fields, message) {
      log.debug(fields, message);
    },
  };
}

function describeExchange(exchange: ProviderExchange): Record<string, unknown> {
  const forms = secretForms(exchange.secrets);
  const { request, response, error } = exchange;

  const entry: Record<string, unknown> = {
    operation: exchange.operation,
    durationMs: Math.round(exchange.durationMs),
    request: {
      method: request.method,
      url: redactUrl(request.url, forms),
      query: redactQuery(request.query, forms),
      headers: redactHeaders(request.headers, forms),
      ...(request.body === undefined ? {} : { body: limitBody(redactBody(request.body, forms)) }),
    },
  };
  if (response) {
    entry.response = {
      status: response.status,
      headers: redactHeaders(response.headers, forms),
      body: limitBody(redactBody(response.body, forms)),
      ...(response.requestId ? { requestId: response.requestId } : {}),
    };
  }
  if (error !== undefined) {
    entry.error = {
      code: isLumioError(error) ? error.code : ((error as { code?: unknown } | null)?.code ?? null),
      message: maskText(error instanceof Error ? error.message : String(error), forms),
    };
  }
  return entry;
}

/** Keeps a redacted body whole when short, else the start of its JSON with a marker. */
function limitBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text === undefined || text.length <= MAX_LOGGED_BODY_CHARS) return body;
  return { truncated: true, length: text.length, start: text.slice(0, MAX_LOGGED_BODY_CHARS) };
}
