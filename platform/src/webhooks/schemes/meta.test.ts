import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { metaScheme } from './meta.js';
import { NOW, reasonOf, request, runSchemeContract } from './scheme-test-kit.js';
import type { DeliveryOptions } from './scheme-test-kit.js';

const SIGNATURE = { scheme: 'meta' } as const;

function deliver({ body, secret }: DeliveryOptions) {
  return request({ body, headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` } });
}

runSchemeContract({
  scheme: metaScheme,
  signature: SIGNATURE,
  deliver,
  secrets: ['4d2c9b8e7f1a0c3b5e6d7a8f9b0c1d2e', '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'],
  wrongSecret: '00000000000000000000000000000000',
  signatureHeader: 'x-hub-signature-256',
  wrongLengthValue: `sha256=${'ab'.repeat(64)}`,
  malformedValues: ['garbage', 'ab'.repeat(32), `sha256=${'ab'.repeat(31)}a`, `sha256:${'ab'.repeat(32)}`, `sha256=${Buffer.alloc(32).toString('base64')}`],
  timed: false,
});

describe('metaScheme', () => {
  const secret = '4d2c9b8e7f1a0c3b5e6d7a8f9b0c1d2e';
  // A WhatsApp Cloud API status notification with Meta's escaped slashes and \u escapes left as sent.
  const body = Buffer.from(
    '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","contacts":[{"profile":{"name":"Jo\\u00e3o"}}],"messages":[{"type":"image","image":{"link":"https:\\/\\/lookaside.fbsbx.com\\/x"}}]},"field":"messages"}]}]}',
    'utf8',
  );

  it('verifies a WhatsApp notification on its raw bytes', () => {
    const header = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const result = metaScheme.verify({ request: request({ body, headers: { 'x-hub-signature-256': header } }), secrets: [secret], signature: SIGNATURE, now: NOW });

    expect(result).toEqual({ ok: true });
  });

  it('rejects a signature over the parsed and re-serialised body', () => {
    const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
    const header = `sha256=${createHmac('sha256', secret).update(reserialised).digest('hex')}`;
    const result = metaScheme.verify({ request: request({ body, headers: { 'x-hub-signature-256': header } }), secrets: [secret], signature: SIGNATURE, now: NOW });

    expect(reasonOf(result)).toBe('signature_mismatch');
  });
});
