import { AuthoringError } from '../authoring/index.js';

/**
 * Advice of the record and run commands when the provider rejects the credentials. The
 * platform's own advice, to connect again, does not apply, because the credentials come
 * from the connection file that `--config` names.
 */
export const REJECTED_CREDENTIALS_ADVICE = 'check that the credentials in the connection file given with --config are valid and have the needed scopes, then run the command again';

/** Causes followed when looking for a platform error inside a command's error. */
const MAX_CAUSE_DEPTH = 10;

/** `name` of the platform's LumioError, whose class the SDK cannot import. */
const PLATFORM_ERROR_NAME = 'LumioError';

/**
 * Runs a command's action and turns a thrown error into a message on standard error and
 * an exit status: the AuthoringError's own (1 or 2), else 1. Platform errors keep their
 * message, which names the value and what to do, except for the advice `describeFailure`
 * replaces. A `code:` line under the message names the code of the innermost Lumio error
 * in the chain of causes, so the code can be looked up in the docs.
 */
export async function runAction(action: () => Promise<number | void>): Promise<void> {
  try {
    const exitCode = await action();
    process.exitCode = exitCode ?? 0;
  } catch (error) {
    process.exitCode = error instanceof AuthoringError ? error.exitCode : 1;
    console.error(`error: ${describeFailure(error)}`);
    const code = findInnermostCode(error);
    if (code !== undefined) console.error(`  code: ${code}`);
    const details = error instanceof AuthoringError ? error.details : [];
    for (const line of details) console.error(`  ${line}`);
  }
}

/**
 * Returns the message a failed command prints. When the error, or an error it wraps, is the
 * platform's PROVIDER_AUTH_FAILED, the platform's advice is replaced with
 * `REJECTED_CREDENTIALS_ADVICE`. The platform ends those messages with "; <advice>.", so
 * the text after the last "; " is the part replaced.
 */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const rejection = findCauseWithCode(error, 'PROVIDER_AUTH_FAILED');
  if (rejection === undefined) return message;

  const adviceStart = rejection.message.lastIndexOf('; ');
  const facts = adviceStart === -1 ? rejection.message.replace(/\.$/, '') : rejection.message.slice(0, adviceStart);
  const rewritten = `${facts}; ${REJECTED_CREDENTIALS_ADVICE}.`;
  // A replacer function, because a replacement string would expand "$&" in the provider's message.
  if (message.includes(rejection.message)) return message.replace(rejection.message, () => rewritten);
  return `${message} To fix it, ${REJECTED_CREDENTIALS_ADVICE}.`;
}

/**
 * Returns the first error in the chain of `cause`s, starting with `error` itself, whose
 * `code` is `code`. Platform errors are matched by their `code` property, because the SDK
 * cannot import the platform's error class.
 */
function findCauseWithCode(error: unknown, code: string): Error | undefined {
  return listCauses(error).find((cause) => readCode(cause) === code);
}

/**
 * Returns the code of the innermost Lumio error in the chain of causes, e.g. the platform's
 * PLUGIN_CPU_LIMIT under the command's RUN_FAILED. Codes of other errors, such as Node's
 * ECONNREFUSED under the platform's PROVIDER_UNREACHABLE, are skipped, because the docs do
 * not list them and the message already names the failure.
 */
function findInnermostCode(error: unknown): string | undefined {
  return listCauses(error)
    .filter((cause) => cause instanceof AuthoringError || cause.name === PLATFORM_ERROR_NAME)
    .map(readCode)
    .findLast((code) => code !== undefined);
}

/** Lists `error` and the errors in its chain of `cause`s, outermost first, up to MAX_CAUSE_DEPTH causes deep. */
function listCauses(error: unknown): Error[] {
  const chain: Error[] = [];
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

function readCode(error: Error): string | undefined {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Writes one output line to standard output. */
export function printLine(line: string): void {
  console.log(line);
}
