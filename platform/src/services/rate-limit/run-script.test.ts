import { describe, expect, it } from 'vitest';
import { ACQUIRE_SCRIPT } from './redis-acquire-scripts.js';
import { runScript, type ScriptClient } from './run-script.js';
import { createHash } from 'node:crypto';

type Call = { command: 'evalsha' | 'eval'; first: string; rest: Array<string | number> };

function fakeClient(evalshaError?: Error): { client: ScriptClient; calls: Call[] } {
  const calls: Call[] = [];
  const client: ScriptClient = {
    async evalsha(sha1, ...rest) {
      calls.push({ command: 'evalsha', first: sha1, rest });
      if (evalshaError) throw evalshaError;
      return [1];
    },
    async eval(source, ...rest) {
      calls.push({ command: 'eval', first: source, rest });
      return [2];
    },
  };
  return { client, calls };
}

describe('runScript', () => {
  it('names scripts by their SHA1', () => {
    expect(ACQUIRE_SCRIPT.sha1).toBe(createHash('sha1').update(ACQUIRE_SCRIPT.source).digest('hex'));
  });

  it('sends EVALSHA first', async () => {
    const { client, calls } = fakeClient();

    const reply = await runScript(client, ACQUIRE_SCRIPT, ['k1', 'k2'], ['bulk', 3]);

    expect(reply).toEqual([1]);
    expect(calls).toEqual([{ command: 'evalsha', first: ACQUIRE_SCRIPT.sha1, rest: [2, 'k1', 'k2', 'bulk', 3] }]);
  });

  it('falls back to EVAL on NOSCRIPT', async () => {
    const { client, calls } = fakeClient(new Error('NOSCRIPT No matching script. Please use EVAL.'));

    const reply = await runScript(client, ACQUIRE_SCRIPT, ['k1'], ['x']);

    expect(reply).toEqual([2]);
    expect(calls.map((call) => call.command)).toEqual(['evalsha', 'eval']);
    expect(calls[1]).toEqual({ command: 'eval', first: ACQUIRE_SCRIPT.source, rest: [1, 'k1', 'x'] });
  });

  it('passes other errors on', async () => {
    const { client, calls } = fakeClient(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));

    await expect(runScript(client, ACQUIRE_SCRIPT, ['k1'], [])).rejects.toThrow('WRONGTYPE');
    expect(calls).toHaveLength(1);
  });
});
