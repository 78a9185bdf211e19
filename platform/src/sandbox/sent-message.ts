import type { ParentMessage, WorkerMessage } from './worker-protocol.js';

/**
 * Empties the JSON text a message carries, once the message is written to the IPC channel.
 *
 * Node's advanced IPC serialization writes each message with a v8.Serializer, and the
 * serializer keeps every object it wrote reachable until a full (mark-compact) collection.
 * On Node.js 20.20 such objects survived every scavenge, so a page's input or result text
 * was promoted to the old generation and collected only by the next mark-compact. The
 * write has copied the text already, so emptying the field lets a scavenge free it.
 *
 * NOTE: a host-call result's value is an object graph (an HTTP response, say), so the
 * serializer still keeps it until a full collection.
 */
export function releaseSentText(message: ParentMessage | WorkerMessage): void {
  switch (message.type) {
    case 'call':
      message.inputJson = '';
      return;
    case 'host-call':
      message.argsJson = '';
      return;
    case 'result':
      if ('envelope' in message.outcome) message.outcome.envelope = '';
      return;
    default:
      return;
  }
}
