import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';
import { slackScheme } from './slack.js';

const SIGNATURE = { scheme: 'slack', toleranceSeconds: 120 } as const;

function deliver({ body, secret, signedAt }: DeliveryOptions) {
  const timestamp = String(Math.floor(signedAt / 1000));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:`, 'utf8').update(body).digest('hex');
  return request({ body, headers: { 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': timestamp } });
}

runSchemeContract({
  scheme: slackScheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['8f742231b10e8888abcd99yyyzzz85a5', '1a2b3c4d5e6f70819203a4b5c6d7e8f9'],
  wrongSecret: 'ffffffffffffffffffffffffffffffff',
  signatureHeader: 'x-slack-signature',
  wrongLengthValue: `v0=${'ab'.repeat(16)}`,
  malformedValues: ['garbage', 'ab'.repeat(32), `v1=${'ab'.repeat(32)}`, `v0=${'xy'.repeat(32)}`, 'v0=', `v0:${'ab'.repeat(32)}`],
  timed: true,
  timestampHeader: 'x-slack-request-timestamp',
});

describe('slackScheme', () => {
  // Example from Slack's "Verifying requests from Slack" guide: a slash command posted as a form.
  const docsSecret = '8f742231b10e8888abcd99yyyzzz85a5';
  const docsTimestamp = '1531420618';
  const docsBody =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const docsSignature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

  it('verifies the documented example', () => {
    const result = slackScheme.verify({
      request: request({ body: Buffer.from(docsBody, 'utf8'), headers: { 'x-slack-signature': docsSignature, 'x-slack-request-timestamp': docsTimestamp } }),
      secrets: [docsSecret],
      signature: SIGNATURE,
      now: Number(docsTimestamp) * 1000 + 30_000,
    });

    expect(result).toEqual({ ok: true, signedAt: Number(docsTimestamp) * 1000 });
  });

  it('rejects the documented example after the window', () => {
    const result = slackScheme.verify({
      request: request({ body: Buffer.from(docsBody, 'utf8'), headers: { 'x-slack-signature': docsSignature, 'x-slack-request-timestamp': docsTimestamp } }),
      secrets: [docsSecret],
      signature: SIGNATURE,
      now: Number(docsTimestamp) * 1000 + 121_000,
    });

    expect(reasonOf(result)).toBe('timestamp_outside_window');
  });

  it('accepts JSON events and form posts', () => {
    expect(slackScheme.acceptedContentTypes('json')).toEqual(['json', 'form']);
    expect(slackScheme.acceptedContentTypes('form')).toEqual(['json', 'form']);
  });

  it('signs the timestamp', () => {
    const delivery = deliver({ body: Buffer.from('{"type":"event_callback"}'), secret: docsSecret, signedAt: NOW, id: '' });
    const shifted = { ...delivery, headers: { ...delivery.headers, 'x-slack-request-timestamp': String(NOW / 1000 + 1) } };

    expect(reasonOf(slackScheme.verify({ request: shifted, secrets: [docsSecret], signature: SIGNATURE, now: NOW }))).toBe('signature_mismatch');
  });
});
