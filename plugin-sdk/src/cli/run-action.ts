import { AuthoringError } from '../authoring/index.js';

/**
 * Runs a command's action and turns a thrown error into a message on standard error and
 * an exit status: the AuthoringError's own (1 or 2), else 1. Platform errors keep their
 * message, which names the value and what to do.
 */
export async function runAction(action: () => Promise<number | void>): Promise<void> {
  try {
    const exitCode = await action();
    process.exitCode = exitCode ?? 0;
  } catch (error) {
    process.exitCode = error instanceof AuthoringError ? error.exitCode : 1;
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    const details = error instanceof AuthoringError ? error.details : [];
    for (const line of details) console.error(`  ${line}`);
  }
}

/** Writes one output line to standard output. */
export function printLine(line: string): void {
  console.log(line);
}
