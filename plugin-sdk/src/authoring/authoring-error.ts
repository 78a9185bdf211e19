/** Exit status of a failed command: 1 when a problem was found, 2 when the command was called wrongly. */
export type FailureExitCode = 1 | 2;

export interface AuthoringErrorOptions {
  /** Default 1. Use 2 for a usage error: a missing argument file, a bad option value. */
  exitCode?: FailureExitCode;
  /** Further lines printed under the message, such as one line per manifest issue. */
  details?: string[];
  cause?: unknown;
}

/**
 * A failure of an authoring command. The message is one plain sentence naming the value
 * and what to do; the CLI prints it with its details and exits with `exitCode`.
 */
export class AuthoringError extends Error {
  readonly code: string;
  readonly exitCode: FailureExitCode;
  readonly details: string[];

  constructor(code: string, message: string, options: AuthoringErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthoringError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? [];
  }
}

/** Creates the error of a command called wrongly (exit status 2). */
export function usageError(code: string, message: string, cause?: unknown): AuthoringError {
  return new AuthoringError(code, message, { exitCode: 2, cause });
}
