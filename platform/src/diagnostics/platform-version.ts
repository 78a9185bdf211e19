import { readFileSync } from 'node:fs';

let version: string | undefined;

/** Returns the `version` of the platform's package.json, read once, or `unknown` when it cannot be read. */
export function platformVersion(): string {
  if (version !== undefined) return version;
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    version = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    version = 'unknown';
  }
  return version;
}
