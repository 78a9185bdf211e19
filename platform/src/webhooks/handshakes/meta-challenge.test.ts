import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../schemes/index.js';
import { metaChallenge } from './meta-challenge.js';

const BASE = 'https://hooks.lumio.test/webhooks/whatsapp/tok_7';
const TOKEN = 'verify-tok-3Hq9';

function get(query: string, method = 'GET'): WebhookRequest {
  return { method, url: `${BASE}?${query}`, headers: {}, body: Buffer.alloc(0) };
}

describe('metaChallenge', () => {
  it('echoes the challenge for a matching token', () => {
    const reply = metaChallenge.answerGet(get(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${TOKEN}`), [TOKEN]);
    expect(reply).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '1158201444' });
  });

  it('echoes the challenge exactly', () => {
    const challenge = 'a b+c/é😀&=';
    const reply = metaChallenge.answerGet(get(`hub.mode=subscribe&hub.challenge=${encodeURIComponent(challenge)}&hub.verify_token=${TOKEN}`), [TOKEN]);
    expect(reply).toMatchObject({ status: 200, body: challenge });
  });

  it('accepts the second of two tokens', () => {
    const reply = metaChallenge.answerGet(get('hub.mode=subscribe&hub.challenge=9&hub.verify_token=older'), ['', TOKEN, 'older']);
    expect(reply).toMatchObject({ status: 200, body: '9' });
  });

  it('rejects a wrong token', () => {
    const reply = metaChallenge.answerGet(get(`hub.mode=subscribe&hub.challenge=9&hub.verify_token=${TOKEN}x`), [TOKEN]);

    expect(reply).toEqual({ ok: false, reason: 'credentials_mismatch', message: "The hub.verify_token query parameter matches none of the connection's webhook secrets." });
  });

  it('rejects missing parameters', () => {
    expect(metaChallenge.answerGet(get('hub.mode=subscribe&hub.challenge=9'), [TOKEN])).toMatchObject({ ok: false, reason: 'header_missing' });
    expect(metaChallenge.answerGet(get(`hub.mode=subscribe&hub.verify_token=${TOKEN}`), [TOKEN])).toMatchObject({ ok: false, reason: 'header_missing' });
  });

  it('reports missing secrets', () => {
    expect(metaChallenge.answerGet(get(`hub.mode=subscribe&hub.challenge=9&hub.verify_token=${TOKEN}`), [])).toMatchObject({ ok: false, reason: 'secret_missing' });
    expect(metaChallenge.answerGet(get('hub.mode=subscribe&hub.challenge=9&hub.verify_token='), [''])).toMatchObject({ ok: false, reason: 'secret_missing' });
  });

  it('ignores other requests', () => {
    expect(metaChallenge.answerGet(get(''), [TOKEN])).toBeNull();
    expect(metaChallenge.answerGet(get(`hub.mode=unsubscribe&hub.challenge=9&hub.verify_token=${TOKEN}`), [TOKEN])).toBeNull();
    expect(metaChallenge.answerGet(get(`hub.mode=subscribe&hub.challenge=9&hub.verify_token=${TOKEN}`, 'POST'), [TOKEN])).toBeNull();
    expect(metaChallenge.answerGet({ method: 'GET', url: 'not a url', headers: {}, body: Buffer.alloc(0) }, [TOKEN])).toBeNull();
    expect(metaChallenge.answerPost({ 'hub.challenge': '9' }, 'json')).toBeNull();
  });
});
