// Entry of the sandbox worker process, which the platform starts with `--no-node-snapshot`
// (isolated-vm requires it on Node.js 20 and later). All isolated-vm use happens here, so a
// V8 crash caused by plugin code ends this process and not the platform, as isolated-vm's
// README advises. The process receives no credentials and keeps no platform state; its
// environment holds only PATH, TMPDIR and NODE_ENV.
import { releaseSentText } from '../sent-message.js';
import type { HostCallMessage, IsolateEventMessage, ParentMessage, WorkerMessage } from '../worker-protocol.js';
import { IsolateCall } from './isolate-call.js';
import { IsolatePool } from './isolate-pool.js';

function send(message: WorkerMessage): void {
  // The channel is gone when the platform exits; the disconnect handler ends this process.
  if (!process.connected) return;
  process.send?.(message);
  releaseSentText(message);
}

const codes = new Map<string, string>();
const calls = new Map<number, IsolateCall>();
const emit = (event: IsolateEventMessage) => send(event);
const pool = new IsolatePool({ emit });

async function runCall(message: Extract<ParentMessage, { type: 'call' }>): Promise<void> {
  const code = codes.get(message.sha256);
  if (code === undefined) {
    send({ type: 'result', callId: message.callId, outcome: { failure: { kind: 'internal', message: `The sandbox worker has no bundle ${message.sha256}.` } }, stats: { cpuMs: 0, wallMs: 0 } });
    return;
  }

  const call = new IsolateCall({ pool, code, message, forward: (hostCall: HostCallMessage) => send(hostCall), emit });
  calls.set(message.callId, call);
  try {
    send(await call.run());
  } catch (error) {
    send({ type: 'result', callId: message.callId, outcome: { failure: { kind: 'internal', message: `The sandbox worker failed: ${(error as Error).message}` } }, stats: { cpuMs: 0, wallMs: 0 } });
  } finally {
    calls.delete(message.callId);
  }
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'load':
      codes.set(message.sha256, message.code);
      return;
    case 'call':
      void runCall(message);
      return;
    case 'host-result':
      calls.get(message.callId)?.deliver(message);
      return;
  }
});

process.on('disconnect', () => {
  pool.disposeAll();
  process.exit(0);
});

send({ type: 'ready' });
