import type { PlatformHttpClient, PlatformHttpRequest, PlatformHttpResponse } from './platform-runtime.js';
import { finalUrl, recordBody, type RecordedBody, type RecordedExchange } from './recording-format.js';

/** Response headers left out of recordings: they change on every call and mean nothing to a replay. */
const VOLATILE_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Request headers left out of recordings: the SDK version in the user agent would change every fixture. */
const VOLATILE_REQUEST_HEADERS = new Set(['user-agent']);

export interface RecordingHttpClientOptions {
  /** Called after each exchange with the exchange and the response as the platform's client returned it. */
  onExchange?: (exchange: RecordedExchange, response: PlatformHttpResponse) => void;
  /** Whether to keep exchanges for `takeExchanges`. Default true; false only reports them. */
  keepExchanges?: boolean;
}

/**
 * Wraps the platform's HTTP client and keeps every exchange it completes as it was sent,
 * with auth applied and nothing redacted yet. A request that got no response (a network
 * error) is not kept, but its retry is.
 */
export class RecordingHttpClient implements PlatformHttpClient {
  #exchanges: RecordedExchange[] = [];

  constructor(
    private readonly inner: PlatformHttpClient,
    private readonly options: RecordingHttpClientOptions = {},
  ) {}

  async send(request: PlatformHttpRequest): Promise<PlatformHttpResponse> {
    const response = await this.inner.send(request);
    const exchange = toExchange(request, response);
    if (this.options.keepExchanges !== false) this.#exchanges.push(exchange);
    this.options.onExchange?.(exchange, response);
    return response;
  }

  /** Returns the exchanges kept since the last call and starts a new list. */
  takeExchanges(): RecordedExchange[] {
    const exchanges = this.#exchanges;
    this.#exchanges = [];
    return exchanges;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function toExchange(request: PlatformHttpRequest, response: PlatformHttpResponse): RecordedExchange {
  const body = recordBody(request.body);
  return {
    request: {
      method: request.method,
      url: finalUrl(request).href,
      headers: omitHeaders(request.headers ?? {}, VOLATILE_REQUEST_HEADERS),
      ...(body === undefined ? {} : { body }),
    },
    response: { status: response.status, headers: omitHeaders(response.headers, VOLATILE_RESPONSE_HEADERS), body: responseBody(response) },
  };
}

/** Keeps a parsed JSON body as JSON, so fixtures read and diff well, and anything else as text. */
function responseBody(response: PlatformHttpResponse): RecordedBody {
  const parsedJson = typeof response.body !== 'string' && response.rawBody.trim() !== '';
  return parsedJson ? { json: response.body } : { text: response.rawBody };
}

function omitHeaders(headers: Record<string, string>, omitted: ReadonlySet<string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!omitted.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
  }
  return kept;
}
