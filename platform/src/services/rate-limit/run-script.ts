import type { LuaScript } from './redis-scripts.js';

type ScriptArgument = string | number;

/** The two ioredis commands the store uses; an ioredis `Redis` client satisfies it. */
export interface ScriptClient {
  evalsha(sha1: string, numberOfKeys: number, ...keysAndArgs: ScriptArgument[]): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: ScriptArgument[]): Promise<unknown>;
}

/**
 * Runs a script by its SHA1. When the server replies NOSCRIPT (after a restart or a
 * SCRIPT FLUSH), it sends the source with EVAL, which also caches it for the next EVALSHA.
 */
export async function runScript(client: ScriptClient, script: LuaScript, keys: readonly string[], args: readonly ScriptArgument[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha1, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
