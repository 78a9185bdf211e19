import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../../platform/src/observability/index.js';
import { loadPluginBundle, type LoadedPlugin } from '../../platform/src/sandbox/index.js';
import { WorkerProcess, type WorkerCallResult } from '../../platform/src/sandbox/worker-process.js';
import type { CallMessage } from '../../platform/src/sandbox/worker-protocol.js';
import { FIXTURES_DIR } from './support/plugin-connectors.js';

// The worker process alone, against its real child process and isolated-vm: what the
// platform keeps of a call's message once it is sent.

let plugin: LoadedPlugin;
let worker: WorkerProcess;

beforeAll(async () => {
  plugin = await loadPluginBundle(FIXTURES_DIR, { entry: 'bench-transform-plugin.ts', capabilities: [] });
  worker = new WorkerProcess({ logger: createLogger({ level: 'silent' }), onHostCall: () => undefined, onEvent: () => undefined });
});

afterAll(async () => {
  await worker.close();
});

function transformCall(callId: number, records: unknown[]): CallMessage {
  return {
    type: 'call',
    callId,
    sha256: plugin.sha256,
    limits: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 5000 },
    inputJson: JSON.stringify(records),
    info: {
      connectorId: 'bench',
      connectionId: null,
      hook: 'transformPage',
      action: null,
      object: null,
      config: {},
      capabilities: [],
      maxResultBytes: 1024 * 1024,
      maxHostCalls: 10,
      maxHostCallArgsLength: 1024,
    },
    realmKey: null,
  };
}

/** Parses the result envelope of a call, failing the test when the call returned none. */
function envelopeOf(result: WorkerCallResult): unknown {
  if (result.type !== 'result') throw new Error(`The worker was lost: ${JSON.stringify(result.loss)}.`);
  const { outcome } = result.message;
  if (!('envelope' in outcome)) throw new Error(`The call failed: ${outcome.failure.message}.`);
  return JSON.parse(outcome.envelope);
}

describe('WorkerProcess', () => {
  it('empties the input once sent', async () => {
    const records = [{ id: '1', properties: { lastname: 'Müller', email: ' Ana@Example.COM ' } }];
    const first = transformCall(1, records);
    const started = worker.call(plugin, first, 10_000);

    const result = await started;

    expect(first.inputJson).toBe('');
    expect(envelopeOf(result)).toEqual({
      ok: true,
      value: [{ id: '1', properties: { lastname: 'MÜLLER', email: 'ana@example.com' }, shapedBy: 'plugin' }],
    });
  });

  it('empties the input when a ready worker sends at once', async () => {
    const message = transformCall(2, [{ id: '2', properties: { lastname: 'Silva', email: null } }]);

    const started = worker.call(plugin, message, 10_000);

    // The worker from the test above is ready, so the message was written before call returned.
    expect(message.inputJson).toBe('');
    expect(envelopeOf(await started)).toEqual({ ok: true, value: [{ id: '2', properties: { lastname: 'SILVA', email: null }, shapedBy: 'plugin' }] });
  });
});
