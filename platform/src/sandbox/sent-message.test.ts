import { DefaultDeserializer, DefaultSerializer } from 'node:v8';

import { describe, expect, it } from 'vitest';

import { releaseSentText } from './sent-message.js';
import type { CallMessage, CallResultMessage, HostCallMessage, HostResultMessage } from './worker-protocol.js';

function callMessage(inputJson: string): CallMessage {
  return {
    type: 'call',
    callId: 7,
    sha256: 'abc',
    limits: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 30_000 },
    inputJson,
    info: {
      connectorId: 'demo',
      connectionId: null,
      hook: 'transformPage',
      action: null,
      object: null,
      config: {},
      capabilities: [],
      maxResultBytes: 1000,
      maxHostCalls: 10,
      maxHostCallArgsLength: 1000,
    },
    realmKey: null,
  };
}

/** Writes a message as Node's advanced IPC serialization does, and returns the bytes. */
function serialize(message: object): Buffer {
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  serializer.writeValue(message);
  return serializer.releaseBuffer();
}

function deserialize(bytes: Buffer): unknown {
  const deserializer = new DefaultDeserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

describe('releaseSentText', () => {
  it('empties the input of a call', () => {
    const message = callMessage('[{"id":1}]');

    releaseSentText(message);

    expect(message.inputJson).toBe('');
    expect(message.info.connectorId).toBe('demo');
  });

  it('empties the arguments of a host call', () => {
    const message: HostCallMessage = { type: 'host-call', callId: 1, requestId: 2, capability: 'state', method: 'get', argsJson: '["cursor"]' };

    releaseSentText(message);

    expect(message.argsJson).toBe('');
    expect(message.requestId).toBe(2);
  });

  it('empties the envelope of a result', () => {
    const message: CallResultMessage = { type: 'result', callId: 1, outcome: { envelope: '{"ok":true,"value":[]}' }, stats: { cpuMs: 1, wallMs: 2 } };

    releaseSentText(message);

    expect(message.outcome).toEqual({ envelope: '' });
  });

  it('keeps the failure of a result', () => {
    const message: CallResultMessage = { type: 'result', callId: 1, outcome: { failure: { kind: 'cpu', message: 'CPU time limit' } }, stats: { cpuMs: 1, wallMs: 2 } };

    releaseSentText(message);

    expect(message.outcome).toEqual({ failure: { kind: 'cpu', message: 'CPU time limit' } });
  });

  it('leaves a host-call result unchanged', () => {
    const message: HostResultMessage = { type: 'host-result', callId: 1, requestId: 2, ok: true, value: { body: 'text' } };

    releaseSentText(message);

    expect(message.value).toEqual({ body: 'text' });
  });

  it('leaves the written bytes intact', () => {
    const input = JSON.stringify(Array.from({ length: 200 }, (_, index) => ({ id: index, name: `Zoë ${index}` })));
    const message = callMessage(input);
    const bytes = serialize(message);

    releaseSentText(message);

    expect((deserialize(bytes) as CallMessage).inputJson).toBe(input);
  });
});
