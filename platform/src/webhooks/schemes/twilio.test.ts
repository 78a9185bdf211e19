import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NOW, RAW_BYTE_BODIES, hostileValues, reasonOf, request, withHeader, withoutHeader } from './scheme-test-kit.js';
import type { WebhookRequest } from './scheme-types.js';
import { twilioScheme } from './twilio.js';

// Worked examples from the request-validator tests of Twilio's PHP helper library
// (github.com/twilio/twilio-php, RequestValidatorTest), all signed with the auth token "12345".
const EXAMPLE_TOKEN = '12345';
const EXAMPLE_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const EXAMPLE_FORM = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212';
const EXAMPLE_SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
const EXAMPLE_JSON = '{"property": "value", "boolean": true}';
const EXAMPLE_BODY_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
const EXAMPLE_JSON_SIGNATURE = 'a9nBmqA0ju/hNViExpshrM61xv4=';

const SIGNATURE = { scheme: 'twilio' } as const;
const TOKEN = 'f2c1d4e6a8b0c2d4e6f8a0b2c4d6e8f0';
const OLDER_TOKEN = '0f9e8d7c6b5a49382716050403020100';
const URL = 'https://hooks.lumio.test/webhooks/twilio/tok_91?connection=c1';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const FORM_BODY = 'MessageSid=SM1&AccountSid=AC1&From=%2B5511999990000&To=%2B5511888880000&Body=Ol%C3%A1+mundo&NumMedia=0';

/** Signs a form delivery as Twilio documents it, independently of the scheme. */
function signForm(token: string, url: string, body: string): string {
  const names = [...new Set([...new URLSearchParams(body).keys()])].sort();
  const params = new URLSearchParams(body);
  let signed = url;
  for (const name of names) {
    for (const value of [...new Set(params.getAll(name))].sort()) signed += name + value;
  }
  return createHmac('sha1', token).update(signed, 'utf8').digest('base64');
}

function formDelivery(body = FORM_BODY, token = TOKEN, url = URL): WebhookRequest {
  return request({ url, body: Buffer.from(body, 'utf8'), headers: { 'content-type': FORM_TYPE, 'x-twilio-signature': signForm(token, url, body) } });
}

/** Builds a JSON delivery the way Twilio sends one: body hash in the URL, signature over the URL. */
function jsonDelivery(body: Buffer, token = TOKEN, url = URL): WebhookRequest {
  const signedUrl = `${url}&bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
  const signature = createHmac('sha1', token).update(signedUrl, 'utf8').digest('base64');
  return request({ url: signedUrl, body, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature } });
}

function verify(delivery: WebhookRequest, secrets: readonly string[] = [TOKEN]) {
  return twilioScheme.verify({ request: delivery, secrets, signature: SIGNATURE, now: NOW });
}

describe('twilioScheme published examples', () => {
  it('verifies the form example', () => {
    const delivery = request({
      url: EXAMPLE_URL,
      body: Buffer.from(EXAMPLE_FORM),
      headers: { 'content-type': FORM_TYPE, 'x-twilio-signature': EXAMPLE_SIGNATURE },
    });

    expect(signForm(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_FORM)).toBe(EXAMPLE_SIGNATURE);
    expect(verify(delivery, [EXAMPLE_TOKEN])).toEqual({ ok: true });
  });

  it('verifies the example in any parameter order', () => {
    const shuffled = 'To=%2B18005551212&Digits=1234&From=%2B14158675309&CallSid=CA1234567890ABCDE&Caller=%2B14158675309';
    const delivery = request({ url: EXAMPLE_URL, body: Buffer.from(shuffled), headers: { 'x-twilio-signature': EXAMPLE_SIGNATURE } });

    expect(verify(delivery, [EXAMPLE_TOKEN]).ok).toBe(true);
  });

  it('verifies the repeated parameter example', () => {
    const body = 'Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234';
    const delivery = request({ url: EXAMPLE_URL, body: Buffer.from(body), headers: { 'x-twilio-signature': 'IK+Dwps556ElfBT0I3Rgjkr1wJU=' } });

    expect(verify(delivery, [EXAMPLE_TOKEN]).ok).toBe(true);
  });

  it('verifies the JSON body example', () => {
    expect(createHash('sha256').update(EXAMPLE_JSON).digest('hex')).toBe(EXAMPLE_BODY_HASH);
    const delivery = request({
      url: `${EXAMPLE_URL}&bodySHA256=${EXAMPLE_BODY_HASH}`,
      body: Buffer.from(EXAMPLE_JSON),
      headers: { 'content-type': 'application/json', 'x-twilio-signature': EXAMPLE_JSON_SIGNATURE },
    });

    expect(verify(delivery, [EXAMPLE_TOKEN])).toEqual({ ok: true });
  });

  it('verifies signatures made with the default port', () => {
    const https = request({ url: EXAMPLE_URL, body: Buffer.from(EXAMPLE_FORM), headers: { 'x-twilio-signature': 'kvajT1Ptam85bY51eRf/AJRuM3w=' } });
    const http = request({
      url: EXAMPLE_URL.replace('https', 'http'),
      body: Buffer.from(EXAMPLE_FORM),
      headers: { 'x-twilio-signature': '0ZXoZLH/DfblKGATFgpif+LLRf4=' },
    });

    expect(verify(https, [EXAMPLE_TOKEN]).ok).toBe(true);
    expect(verify(http, [EXAMPLE_TOKEN]).ok).toBe(true);
  });

  it('signs the examples as Twilio does', () => {
    const form = twilioScheme.sign({ secret: EXAMPLE_TOKEN, method: 'POST', url: EXAMPLE_URL, body: Buffer.from(EXAMPLE_FORM), now: NOW, id: 'x', signature: SIGNATURE });
    const json = twilioScheme.sign({ secret: EXAMPLE_TOKEN, method: 'POST', url: EXAMPLE_URL, body: Buffer.from(EXAMPLE_JSON), now: NOW, id: 'x', signature: SIGNATURE });

    expect(form).toEqual({ headers: { 'x-twilio-signature': EXAMPLE_SIGNATURE }, url: EXAMPLE_URL });
    expect(json).toEqual({ headers: { 'x-twilio-signature': EXAMPLE_JSON_SIGNATURE }, url: `${EXAMPLE_URL}&bodySHA256=${EXAMPLE_BODY_HASH}` });
  });
});

describe('twilioScheme form deliveries', () => {
  it('accepts a valid delivery', () => {
    expect(verify(formDelivery())).toEqual({ ok: true });
  });

  it('accepts form types', () => {
    expect(twilioScheme.acceptedContentTypes('form')).toEqual(['form', 'json']);
    expect(twilioScheme.acceptedContentTypes('json')).toEqual(['form', 'json']);
  });

  it('rejects one changed body byte', () => {
    const delivery = formDelivery();
    const changed = Buffer.from(delivery.body);
    changed[FORM_BODY.indexOf('SM1') + 2] = '2'.charCodeAt(0);

    expect(reasonOf(verify({ ...delivery, body: changed }))).toBe('signature_mismatch');
  });

  it('rejects an added or removed parameter', () => {
    const delivery = formDelivery();

    expect(reasonOf(verify({ ...delivery, body: Buffer.from(`${FORM_BODY}&Extra=1`) }))).toBe('signature_mismatch');
    expect(reasonOf(verify({ ...delivery, body: Buffer.from(FORM_BODY.replace('&NumMedia=0', '')) }))).toBe('signature_mismatch');
  });

  it('rejects a changed URL', () => {
    const delivery = formDelivery();

    expect(reasonOf(verify({ ...delivery, url: `${URL}&x=1` }))).toBe('signature_mismatch');
    expect(reasonOf(verify({ ...delivery, url: URL.replace('c1', 'c2') }))).toBe('signature_mismatch');
    expect(reasonOf(verify({ ...delivery, url: URL.replace('https:', 'http:') }))).toBe('signature_mismatch');
    expect(reasonOf(verify({ ...delivery, url: URL.replace('.test/', '.test:8443/') }))).toBe('signature_mismatch');
  });

  it('rejects a wrong secret', () => {
    expect(reasonOf(verify(formDelivery(FORM_BODY, 'wrong-token')))).toBe('signature_mismatch');
  });

  it('accepts the second of two secrets', () => {
    const delivery = formDelivery(FORM_BODY, OLDER_TOKEN);

    expect(reasonOf(verify(delivery))).toBe('signature_mismatch');
    expect(reasonOf(verify(delivery, [TOKEN, OLDER_TOKEN]))).toBe('ok');
  });

  it('reports an empty secret list as missing', () => {
    expect(reasonOf(verify(formDelivery(), []))).toBe('secret_missing');
    expect(reasonOf(verify(formDelivery(), ['']))).toBe('secret_missing');
    expect(reasonOf(verify(formDelivery(), ['', TOKEN]))).toBe('ok');
  });

  it('reports a missing signature header', () => {
    const result = verify(withoutHeader(formDelivery(), 'x-twilio-signature'));

    expect(result).toEqual({ ok: false, reason: 'header_missing', message: 'The X-Twilio-Signature header is missing.' });
    expect(reasonOf(verify(withHeader(formDelivery(), 'x-twilio-signature', '')))).toBe('header_missing');
  });

  it('reports a wrong-length signature as malformed', () => {
    const sha256Length = createHmac('sha256', TOKEN).update(URL).digest('base64');

    expect(reasonOf(verify(withHeader(formDelivery(), 'x-twilio-signature', sha256Length)))).toBe('header_malformed');
    expect(reasonOf(verify(withHeader(formDelivery(), 'x-twilio-signature', Buffer.alloc(19).toString('base64'))))).toBe('header_malformed');
  });

  it('reports malformed signature headers', () => {
    for (const value of ['not base64!', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=x', '====', 'é', 'RSOYDt4T1cUTdK1PDd93/VVr8B8===']) {
      expect(reasonOf(verify(withHeader(formDelivery(), 'x-twilio-signature', value))), value).toBe('header_malformed');
    }
  });

  it('verifies decoded accents and emoji', () => {
    const encoded = `Body=${encodeURIComponent('ação 🎉👍🏽')}&From=%2B5511`;
    const raw = 'Body=ação 🎉&From=%2B5511';

    expect(reasonOf(verify(formDelivery(encoded)))).toBe('ok');
    expect(reasonOf(verify(formDelivery(raw)))).toBe('ok');
  });

  it('rejects bodies that do not decode', () => {
    const malformed = formDelivery('Body=100%&From=x');
    const notUtf8 = { ...formDelivery(), body: Buffer.concat([Buffer.from('Body='), Buffer.from([0xe9])]) };

    expect(reasonOf(verify(malformed))).toBe('signature_mismatch');
    expect(reasonOf(verify(formDelivery('Body=%FF')))).toBe('signature_mismatch');
    expect(reasonOf(verify(notUtf8))).toBe('signature_mismatch');
  });

  it('verifies an empty form body', () => {
    expect(reasonOf(verify(formDelivery('')))).toBe('ok');
  });
});

describe('twilioScheme JSON deliveries', () => {
  it('accepts a valid delivery', () => {
    expect(verify(jsonDelivery(Buffer.from('{"EventType":"onMessageAdded"}')))).toEqual({ ok: true });
  });

  it('rejects one changed body byte', () => {
    const delivery = jsonDelivery(Buffer.from('{"EventType":"onMessageAdded"}'));
    const changed = Buffer.from(delivery.body);
    changed[5] = (changed[5] ?? 0) ^ 0x01;

    const result = verify({ ...delivery, body: changed });
    expect(result).toEqual({ ok: false, reason: 'signature_mismatch', message: 'The bodySHA256 query parameter does not match the SHA-256 of the body.' });
  });

  it('rejects a body hash the signature does not cover', () => {
    const original = jsonDelivery(Buffer.from('{"amount":1}'));
    const forgedBody = Buffer.from('{"amount":1000}');
    const forgedUrl = `${URL}&bodySHA256=${createHash('sha256').update(forgedBody).digest('hex')}`;

    expect(reasonOf(verify({ ...original, url: forgedUrl, body: forgedBody }))).toBe('signature_mismatch');
  });

  it('rejects a wrong secret and accepts rotation', () => {
    const body = Buffer.from('{"a":1}');

    expect(reasonOf(verify(jsonDelivery(body, 'wrong-token')))).toBe('signature_mismatch');
    expect(reasonOf(verify(jsonDelivery(body, OLDER_TOKEN), [TOKEN, OLDER_TOKEN]))).toBe('ok');
  });

  it('requires the body hash for JSON', () => {
    const body = Buffer.from('{"a":1}');
    const signature = createHmac('sha1', TOKEN).update(URL).digest('base64');
    const delivery = request({ url: URL, body, headers: { 'content-type': 'application/json; charset=utf-8', 'x-twilio-signature': signature } });

    expect(reasonOf(verify(delivery))).toBe('header_missing');
  });

  it('reports malformed body hashes', () => {
    const delivery = jsonDelivery(Buffer.from('{"a":1}'));
    const hash = createHash('sha256').update(delivery.body).digest('hex');

    for (const url of [`${URL}&bodySHA256=xyz`, `${URL}&bodySHA256=${hash.slice(2)}`, `${URL}&bodySHA256=${hash}&bodySHA256=${hash}`, `${URL}&bodySHA256=`]) {
      expect(reasonOf(verify({ ...delivery, url })), url).toBe('header_malformed');
    }
  });

  it.each(RAW_BYTE_BODIES)('verifies raw bytes with %s', (_name, rawBody) => {
    const delivery = jsonDelivery(rawBody);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8'))), 'utf8');

    expect(reasonOf(verify(delivery))).toBe('ok');
    expect(reasonOf(verify({ ...delivery, body: reserialised }))).toBe('signature_mismatch');
  });
});

describe('twilioScheme hostile input', () => {
  it('rejects an unparsable URL without throwing', () => {
    const delivery = formDelivery(FORM_BODY, TOKEN, 'not a url');

    expect(reasonOf(verify(delivery))).toBe('signature_mismatch');
  });

  it('never throws on hostile values', () => {
    for (const value of hostileValues(300)) {
      const signed = withHeader(formDelivery(), 'x-twilio-signature', value);
      expect(() => verify(signed)).not.toThrow();
      expect(verify(signed).ok).toBe(false);
      expect(() => verify({ ...formDelivery(), body: Buffer.from(value) })).not.toThrow();
      expect(() => verify({ ...formDelivery(), url: value })).not.toThrow();
      expect(() => verify({ ...formDelivery(), url: `${URL}&bodySHA256=${encodeURIComponent(value)}` })).not.toThrow();
    }
  });
});

describe('twilioScheme sign', () => {
  it('round-trips form bodies', () => {
    for (const body of [FORM_BODY, `Body=${encodeURIComponent('ação 😀')}&a=1&a=2`, '']) {
      const signed = twilioScheme.sign({ secret: OLDER_TOKEN, method: 'POST', url: URL, body: Buffer.from(body), now: NOW, id: 'x', signature: SIGNATURE });

      expect(signed.url).toBe(URL);
      expect(signed.headers['x-twilio-signature']).toBe(signForm(OLDER_TOKEN, URL, body));
      expect(verify(request({ url: signed.url, headers: { ...signed.headers, 'content-type': FORM_TYPE }, body: Buffer.from(body) }), [TOKEN, OLDER_TOKEN]).ok).toBe(true);
    }
  });

  it('round-trips JSON bodies', () => {
    for (const [, rawBody] of RAW_BYTE_BODIES) {
      const signed = twilioScheme.sign({ secret: TOKEN, method: 'POST', url: URL, body: rawBody, now: NOW, id: 'x', signature: SIGNATURE });

      expect(signed.url).toBe(jsonDelivery(rawBody).url);
      expect(signed.headers).toEqual({ 'x-twilio-signature': jsonDelivery(rawBody).headers['x-twilio-signature'] });
      expect(verify(request({ url: signed.url, headers: { ...signed.headers, 'content-type': 'application/json' }, body: rawBody })).ok).toBe(true);
    }
  });

  it('adds the body hash as the first parameter', () => {
    const signed = twilioScheme.sign({ secret: TOKEN, method: 'POST', url: 'https://hooks.lumio.test/t', body: Buffer.from('[1]'), now: NOW, id: 'x', signature: SIGNATURE });

    expect(signed.url).toBe(`https://hooks.lumio.test/t?bodySHA256=${createHash('sha256').update('[1]').digest('hex')}`);
  });
});
