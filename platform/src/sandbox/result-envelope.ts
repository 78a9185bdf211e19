import type { CallFailure, CallOutcome, FailureKind } from './worker-protocol.js';

/** Characters the envelope adds around the value's JSON: `{"ok":true,"value":` and `}`. */
const ENVELOPE_OVERHEAD = 20;

/** Returns the failure of an envelope over the size limit, checked before anything parses it. */
export function checkEnvelopeSize(text: string, maxResultBytes: number): CallFailure | undefined {
  const limit = maxResultBytes + ENVELOPE_OVERHEAD;
  if (text.length <= limit / 3) return undefined;

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= limit) return undefined;
  return { kind: 'too-large', message: `The result is ${bytes - ENVELOPE_OVERHEAD} bytes of JSON, over the limit of ${maxResultBytes} bytes.` };
}

const PLUGIN_KINDS: readonly FailureKind[] = ['threw', 'result', 'too-large', 'definition', 'hook-missing'];

/**
 * Reads the envelope text a dispatch returned. The size is checked on the text before it
 * is parsed, and the parse is the host's own, so whatever the isolate did to its realm the
 * value that comes out is plain JSON data of bounded size.
 */
export function readEnvelope(text: unknown, maxResultBytes: number): CallOutcome {
  if (typeof text !== 'string') {
    return fail('result', `The sandbox returned ${text === undefined ? 'nothing' : `a ${typeof text}`} instead of a result envelope.`);
  }

  const tooLarge = checkEnvelopeSize(text, maxResultBytes);
  if (tooLarge) return { ok: false, failure: tooLarge };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('result', 'The result envelope is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { ok?: unknown }).ok !== 'boolean') {
    return fail('result', 'The result envelope has no "ok" flag.');
  }

  const envelope = parsed as Record<string, unknown>;
  if (envelope.ok === true) return 'value' in envelope ? { ok: true, value: envelope.value } : { ok: true };
  return { ok: false, failure: readFailure(envelope) };
}

function readFailure(envelope: Record<string, unknown>): CallFailure {
  const kind = PLUGIN_KINDS.includes(envelope.kind as FailureKind) ? (envelope.kind as FailureKind) : 'result';
  const failure: CallFailure = { kind, message: typeof envelope.message === 'string' ? envelope.message : 'The plugin call failed without a message.' };
  for (const key of ['name', 'stack', 'path', 'code'] as const) {
    const value = envelope[key];
    if (typeof value === 'string') failure[key] = value;
  }
  return failure;
}

function fail(kind: FailureKind, message: string): CallOutcome {
  return { ok: false, failure: { kind, message } };
}
