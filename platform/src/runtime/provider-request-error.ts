import { LumioError, type Fault } from '../errors/index.js';
import type { HttpResponse } from '../http/index.js';
import { getPath } from './get-path.js';

// Dot paths of the human-readable message in the JSON error bodies of common APIs.
const MESSAGE_PATHS = [
  'message',
  'error.message',
  'error_description',
  'error',
  'errors.0.message',
  'errors.0.detail',
  'errors.0.title',
  'errors',
  'detail',
  'title',
  '0.message',
  'fault.faultstring',
];

// Dot paths of a correlation or request id in JSON error bodies (HubSpot uses "correlationId").
const CORRELATION_PATHS = ['correlationId', 'requestId', 'request_id', 'traceId', 'trace_id', 'error.request_id'];

const MAX_MESSAGE_LENGTH = 300;

export interface ProviderRequestErrorOptions {
  connector: string;
  method: string;
  /** Origin and path of the request, without the query (it may carry an API key). */
  target: string;
  response: HttpResponse;
  /** Values scrubbed from the provider's message, in case the provider echoes a credential. */
  secrets: readonly string[];
}

/**
 * A non-2xx response from a provider. The code is `PROVIDER_RATE_LIMITED` for 429,
 * `PROVIDER_AUTH_FAILED` for 401 and 403, else `PROVIDER_REQUEST_FAILED`. It carries
 * the provider's status, message and request id but never the request headers. The
 * response is a non-enumerable property, so it stays out of logs and JSON.
 */
export class ProviderRequestError extends LumioError {
  readonly providerStatus: number;
  readonly providerMessage: string | undefined;
  readonly requestId: string | undefined;
  declare readonly response: HttpResponse;

  constructor(options: ProviderRequestErrorOptions) {
    const { status } = options.response;
    const providerMessage = scrub(extractProviderMessage(options.response), options.secrets);
    const requestId = extractCorrelationId(options.response);
    const kind = classifyStatus(status);

    const said = providerMessage === undefined ? '' : `: "${providerMessage}"`;
    const reference = requestId === undefined ? '' : ` (request id ${requestId})`;
    super(
      kind.code,
      `${options.connector} returned HTTP ${status} for ${options.method} ${options.target}${said}${reference}; ${kind.advice}.`,
      {
        status: kind.status,
        fault: kind.fault,
        details: { providerStatus: status, providerMessage, requestId, method: options.method, url: options.target },
      },
    );
    this.name = 'ProviderRequestError';
    this.providerStatus = status;
    this.providerMessage = providerMessage;
    this.requestId = requestId;
    Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
  }
}

function classifyStatus(status: number): { code: string; status: number; fault: Fault; advice: string } {
  if (status === 429) {
    return { code: 'PROVIDER_RATE_LIMITED', status: 503, fault: 'provider', advice: 'retry after the rate limit resets' };
  }
  if (status === 401 || status === 403) {
    return { code: 'PROVIDER_AUTH_FAILED', status: 502, fault: 'caller', advice: 'check that the credentials are valid and have the needed scopes, then connect again' };
  }
  if (status >= 500) {
    return { code: 'PROVIDER_REQUEST_FAILED', status: 502, fault: 'provider', advice: 'retry later' };
  }
  return { code: 'PROVIDER_REQUEST_FAILED', status: 502, fault: 'caller', advice: 'check the request values' };
}

/** Finds the provider's error message in a JSON body, or uses a short non-HTML text body. */
export function extractProviderMessage(response: HttpResponse): string | undefined {
  if (typeof response.body === 'object' && response.body !== null) {
    for (const path of MESSAGE_PATHS) {
      const value = getPath(response.body, path);
      if (typeof value === 'string' && value.trim() !== '') return truncate(value.trim());
    }
    return undefined;
  }

  const text = response.rawBody.trim();
  if (text === '' || text.startsWith('<')) return undefined;
  return truncate(text);
}

/** Finds a correlation id in a JSON body, else the request id header. */
export function extractCorrelationId(response: HttpResponse): string | undefined {
  for (const path of CORRELATION_PATHS) {
    const value = getPath(response.body, path);
    if (typeof value === 'string' && value !== '') return value;
  }
  return response.requestId;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function scrub(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (message === undefined) return undefined;
  let clean = message;
  // Short values (a username such as "admin") would blank ordinary words, so only longer ones are scrubbed.
  for (const secret of secrets) if (secret.length >= 6) clean = clean.split(secret).join('[redacted]');
  return clean;
}
