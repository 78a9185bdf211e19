import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../schemes/index.js';
import { linkedinChallenge } from './linkedin-challenge.js';

const BASE = 'https://hooks.lumio.test/webhooks/linkedin/tok_2';
const SECRET = 'WPL_AP1.c9sB3xq0Lm4Tn8Vd.Qz7kYw==';
// The challenge code in LinkedIn's webhook validation guide.
const CODE = '890e4665-4dfe-4ab1-b689-ed553bceeed0';

function get(query: string, method = 'GET'): WebhookRequest {
  return { method, url: `${BASE}?${query}`, headers: {}, body: Buffer.alloc(0) };
}

describe('linkedinChallenge', () => {
  it('replies with the code HMAC', () => {
    const reply = linkedinChallenge.answerGet(get(`challengeCode=${CODE}`), [SECRET]);
    const expected = createHmac('sha256', SECRET).update(CODE).digest('hex');

    expect(reply).toEqual({ status: 200, contentType: 'application/json', body: JSON.stringify({ challengeCode: CODE, challengeResponse: expected }) });
  });

  it('signs with the first secret', () => {
    const reply = linkedinChallenge.answerGet(get(`challengeCode=${CODE}&applicationId=77`), ['', SECRET, 'older-secret']);
    const body = JSON.parse(reply && 'body' in reply ? reply.body : '{}') as { challengeResponse: string };

    expect(body.challengeResponse).toBe(createHmac('sha256', SECRET).update(CODE).digest('hex'));
    expect(body.challengeResponse).not.toBe(createHmac('sha256', 'older-secret').update(CODE).digest('hex'));
  });

  it('accepts upper-case UUIDs', () => {
    expect(linkedinChallenge.answerGet(get(`challengeCode=${CODE.toUpperCase()}`), [SECRET])).toMatchObject({ status: 200 });
  });

  it('rejects codes that are not UUIDs', () => {
    for (const code of ['{"type":"LEAD_ACTION"}', 'hmacsha256=x', `${CODE}x`, '', CODE.replaceAll('-', '')]) {
      const reply = linkedinChallenge.answerGet(get(`challengeCode=${encodeURIComponent(code)}`), [SECRET]);
      expect(reply, code).toEqual({ ok: false, reason: 'header_malformed', message: 'The challengeCode query parameter is not a UUID.' });
    }
  });

  it('reports missing secrets', () => {
    expect(linkedinChallenge.answerGet(get(`challengeCode=${CODE}`), [])).toMatchObject({ ok: false, reason: 'secret_missing' });
    expect(linkedinChallenge.answerGet(get(`challengeCode=${CODE}`), [''])).toMatchObject({ ok: false, reason: 'secret_missing' });
  });

  it('ignores other requests', () => {
    expect(linkedinChallenge.answerGet(get('other=1'), [SECRET])).toBeNull();
    expect(linkedinChallenge.answerGet(get(`challengeCode=${CODE}`, 'POST'), [SECRET])).toBeNull();
    expect(linkedinChallenge.answerGet({ method: 'GET', url: '::', headers: {}, body: Buffer.alloc(0) }, [SECRET])).toBeNull();
    expect(linkedinChallenge.answerPost({ challengeCode: CODE }, 'json')).toBeNull();
  });
});
