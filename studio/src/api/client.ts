/** A problem details response from the API, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** Problems listed by a 422 `MAPPING_INVALID`, each with a JSON pointer into the request. */
  get problems(): { path: string; message: string }[] {
    return Array.isArray(this.body.problems) ? (this.body.problems as { path: string; message: string }[]) : [];
  }
}

export interface ApiClientOptions {
  /** Called when the session has expired or never existed, so the app shows sign-in. */
  onUnauthorized(): void;
  /** The locale whose language the API writes its error messages in. */
  locale(): string;
}

/**
 * Calls the platform's `/v1` API with the session cookie. Keeps the CSRF token of the session
 * in memory only and sends it on every request that changes something.
 */
export class ApiClient {
  private csrfToken: string | null = null;

  constructor(private readonly options: ApiClientOptions) {}

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': this.options.locale() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;

    const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = parseJson(text);

    if (!response.ok) {
      const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
      const error = new ApiError(
        response.status,
        typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
        typeof problem.detail === 'string' ? problem.detail : `${method} ${path} failed with status ${response.status}.`,
        problem,
      );
      // A failed sign-in is answered on the form; any other 401 means the session is gone.
      if (response.status === 401 && !(path === '/v1/session' && method === 'POST')) this.options.onUnauthorized();
      throw error;
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Encodes one path segment of an API URL. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
