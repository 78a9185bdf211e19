/**
 * Party at fault when something fails. The API maps it to a status family, and the studio
 * uses it to tell an admin whether to fix their input or wait for a provider.
 */
export type Fault = 'caller' | 'provider' | 'connector' | 'platform';

export interface LumioErrorOptions {
  /** HTTP status the API responds with when this error reaches the edge. */
  status?: number;
  fault?: Fault;
  /** Extra machine-readable facts (a JSON pointer, a limit, an id). Never a secret. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error base type of the platform: a stable machine `code`, a plain sentence,
 * the HTTP status it maps to and who is at fault.
 */
export class LumioError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: LumioErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LumioError';
    this.code = code;
    this.status = options.status ?? 500;
    this.fault = options.fault ?? 'platform';
    this.details = options.details ?? {};
  }
}

export function isLumioError(value: unknown): value is LumioError {
  return value instanceof LumioError;
}
