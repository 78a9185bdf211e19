import { AuthoringError } from './authoring-error.js';
import type { PlatformHttpClient, PlatformHttpRequest, PlatformHttpResponse } from './platform-runtime.js';
import { finalUrl, recordBody, type RecordedExchange, type RecordedResponse } from './recording-format.js';
import { requestKey } from './request-key.js';

// The same test the platform's HTTP client applies before parsing a body as JSON.
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

interface ReplayEntry {
  key: string;
  exchange: RecordedExchange;
  used: boolean;
}

/**
 * An HTTP client that returns recorded responses and never opens a connection. Each
 * request gets the first unused recorded response whose request matches it (see
 * `requestKey`), so a retried request gets the recorded failure and then the recorded
 * success. A request with no recording fails with REPLAY_REQUEST_NOT_RECORDED.
 */
export class ReplayHttpClient implements PlatformHttpClient {
  readonly #entries: ReplayEntry[];
  /** Requests that matched no recorded exchange, as "METHOD url" lines. */
  readonly unrecorded: string[] = [];
  #sent = 0;

  constructor(exchanges: readonly RecordedExchange[]) {
    this.#entries = exchanges.map((exchange) => ({
      key: requestKey(exchange.request.method, exchange.request.url, exchange.request.body),
      exchange,
      used: false,
    }));
  }

  /** Number of requests served from the recording. */
  get sent(): number {
    return this.#sent;
  }

  async send(request: PlatformHttpRequest): Promise<PlatformHttpResponse> {
    const url = finalUrl(request);
    const key = requestKey(request.method, url, recordBody(request.body));
    const entry = this.#entries.find((candidate) => !candidate.used && candidate.key === key);
    if (!entry) throw this.#notRecorded(`${request.method} ${url.href}`);

    entry.used = true;
    this.#sent += 1;
    return toResponse(entry.exchange.response, url);
  }

  /** Recorded exchanges no request has used, in recorded order. */
  listUnused(): RecordedExchange[] {
    return this.#entries.filter((entry) => !entry.used).map((entry) => entry.exchange);
  }

  async close(): Promise<void> {}

  #notRecorded(request: string): AuthoringError {
    this.unrecorded.push(request);
    const next = this.#entries.find((entry) => !entry.used);
    const expected = next ? `the next unused recorded request is ${next.exchange.request.method} ${next.exchange.request.url}` : 'every recorded request was already used';
    return new AuthoringError(
      'REPLAY_REQUEST_NOT_RECORDED',
      `The replay sent ${request}, which the recording does not contain (${expected}); if the connector's requests changed on purpose, record the fixtures again with \`lumio-connector record\`.`,
    );
  }
}

function toResponse(recorded: RecordedResponse, url: URL): PlatformHttpResponse {
  const { body } = recorded;
  let rawBody: string;
  let parsed: unknown;
  if ('json' in body) {
    rawBody = JSON.stringify(body.json);
    parsed = body.json;
  } else {
    rawBody = 'form' in body ? body.form : body.text;
    parsed = parseLikePlatform(rawBody, recorded.headers['content-type']);
  }
  return { status: recorded.status, headers: { ...recorded.headers }, body: parsed, rawBody, durationMs: 0, url: url.href };
}

function parseLikePlatform(rawBody: string, contentType: string | undefined): unknown {
  if (!contentType || !JSON_CONTENT_TYPE.test(contentType)) return rawBody;
  if (rawBody.trim() === '') return null;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}
