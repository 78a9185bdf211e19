import type { Logger } from '../observability/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** Query values; `null` and `undefined` leave the parameter out. */
export type QueryValue = string | number | boolean | null | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute http(s) URL. Entries of `query` replace parameters of the same name already in it. */
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, QueryValue>;
  /**
   * A string or bytes are sent as they are, URLSearchParams as a form, and any other
   * value as JSON. `undefined` sends no body.
   */
  body?: unknown;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Response headers with lower-case names; repeated headers are joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON (null for an empty body), else the text. */
  body: unknown;
  rawBody: string;
  /** Time from sending to the end of the body, in milliseconds. */
  durationMs: number;
  /** The provider's request or correlation id header, when it sends one. */
  requestId?: string;
  /** The final request URL, including the query. Pagination resolves relative links against it. */
  url: string;
}

export interface HttpClientOptions {
  /** When false, hosts that resolve to private, loopback, link-local or metadata addresses are rejected. */
  allowPrivateNetwork: boolean;
  userAgent: string;
  /** Deadline for one request, from sending to the end of the body, in milliseconds. Default 30000. */
  timeoutMs?: number;
  logger: Logger;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Closes the keep-alive connections; the client cannot send afterwards. */
  close(): Promise<void>;
}
