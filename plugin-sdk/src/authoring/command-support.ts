import { readFileSync } from 'node:fs';

import { usageError } from './authoring-error.js';
import type { PlatformLogger, PlatformRuntime } from './platform-runtime.js';
import type { StreamSession } from './stream-session.js';

/** Writes one line of a command's output. */
export type CommandOutput = (line: string) => void;

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** User-Agent of the commands' provider requests. */
export const USER_AGENT = `lumio-connector/${packageJson.version}`;

/** Creates the platform logger of a command; it writes JSON lines to standard error, so they never mix with the output. */
export function createCommandLogger(platform: PlatformRuntime, level: string): PlatformLogger {
  return platform.createLogger({ level, destination: process.stderr });
}

/**
 * Returns the objects to read: `requested` when given, each of which must be readable,
 * else every readable object. Raises a usage error naming the readable objects.
 */
export async function chooseObjects(session: StreamSession, requested: readonly string[] | undefined): Promise<string[]> {
  const readable = await session.listReadableObjects();
  if (requested === undefined || requested.length === 0) {
    if (readable.length === 0) throw usageError('OBJECT_NOT_READABLE', `No object of "${session.manifest.id}" has a list request or a plugin readStream hook, so there is nothing to read.`);
    return readable;
  }

  for (const object of requested) {
    if (!readable.includes(object)) {
      const known = readable.map((name) => `"${name}"`).join(', ') || 'none';
      throw usageError('OBJECT_NOT_READABLE', `"${session.manifest.id}" has no readable object "${object}"; the readable objects are ${known}.`);
    }
  }
  return [...requested];
}

/** "1 record", "3 records". */
export function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}
