import { describe, expect, it } from 'vitest';

import { checkEnvelopeSize, readEnvelope } from './result-envelope.js';

describe('readEnvelope', () => {
  it('reads a value', () => {
    expect(readEnvelope('{"ok":true,"value":[{"id":1}]}', 1000)).toEqual({ ok: true, value: [{ id: 1 }] });
  });

  it('reads a result without a value', () => {
    expect(readEnvelope('{"ok":true}', 1000)).toEqual({ ok: true });
  });

  it('reads a failure with its details', () => {
    const outcome = readEnvelope(JSON.stringify({ ok: false, kind: 'threw', name: 'TypeError', message: 'x is not a function', stack: 'TypeError: …', code: 'E1', path: 7 }), 1000);

    expect(outcome).toEqual({ ok: false, failure: { kind: 'threw', name: 'TypeError', message: 'x is not a function', stack: 'TypeError: …', code: 'E1' } });
  });

  it('treats an unknown failure kind as an invalid result', () => {
    // A plugin that forges an envelope cannot claim a limit the host did not enforce.
    const outcome = readEnvelope(JSON.stringify({ ok: false, kind: 'cpu', message: 'forged' }), 1000);

    expect(outcome).toEqual({ ok: false, failure: { kind: 'result', message: 'forged' } });
  });

  it.each([
    [undefined, 'nothing'],
    [42, 'a number'],
  ])('rejects %j instead of text', (text, description) => {
    expect(readEnvelope(text, 1000)).toEqual({ ok: false, failure: { kind: 'result', message: `The sandbox returned ${description} instead of a result envelope.` } });
  });

  it('rejects text that is not JSON', () => {
    expect(readEnvelope('{"ok":true,"value":', 1000)).toMatchObject({ ok: false, failure: { kind: 'result' } });
  });

  it('rejects JSON without the flag', () => {
    expect(readEnvelope('[1,2]', 1000)).toMatchObject({ ok: false, failure: { kind: 'result', message: 'The result envelope has no "ok" flag.' } });
  });

  it('rejects a value over the limit in UTF-8 bytes', () => {
    // 400 characters of "é" are 800 bytes of UTF-8.
    const text = JSON.stringify({ ok: true, value: 'é'.repeat(400) });

    expect(readEnvelope(text, 1000)).toMatchObject({ ok: true });
    expect(readEnvelope(text, 500)).toMatchObject({ ok: false, failure: { kind: 'too-large' } });
  });

  it('checks the size without parsing', () => {
    expect(checkEnvelopeSize('{"ok":true,"value":"x"}', 1024)).toBeUndefined();
    expect(checkEnvelopeSize(`{"ok":true,"value":"${'ç'.repeat(700)}"}`, 1024)).toMatchObject({ kind: 'too-large' });
    expect(checkEnvelopeSize(`{"ok":true,"value":"${'c'.repeat(700)}"}`, 1024)).toBeUndefined();
  });

  it('accepts a value exactly at the limit', () => {
    const value = JSON.stringify('a'.repeat(98));

    expect(value.length).toBe(100);
    expect(readEnvelope(`{"ok":true,"value":${value}}`, 100)).toEqual({ ok: true, value: 'a'.repeat(98) });
    expect(readEnvelope(`{"ok":true,"value":${value}}`, 99)).toMatchObject({ ok: false, failure: { kind: 'too-large' } });
  });
});
