import { describe, expect, it } from 'vitest';

import { MASKED_EMAIL, MASKED_PHONE, REDACTED, maskText, redactBody, redactHeaders, redactQuery, redactUrl, secretForms } from './redact.js';
import { scrubSecrets } from './scrub-secrets.js';

const SECRET = 'sk_live_51HxYz-example';
const FORMS = secretForms([SECRET]);

describe('redactHeaders', () => {
  it('hides credential headers', () => {
    const redacted = redactHeaders(
      {
        authorization: `Bearer ${SECRET}`,
        cookie: 'session=abc',
        'set-cookie': 'id=1',
        'x-api-key': 'k-123456',
        'x-hubspot-signature-v3': 'sig',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        'content-type': 'application/json',
        'x-request-id': 'req-1',
      },
      FORMS,
    );

    expect(redacted).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
      'x-hubspot-signature-v3': REDACTED,
      'proxy-authorization': REDACTED,
      'content-type': 'application/json',
      'x-request-id': 'req-1',
    });
  });

  it('masks secrets in other headers', () => {
    expect(redactHeaders({ 'x-debug': `token was ${SECRET}` }, FORMS)).toEqual({ 'x-debug': `token was ${REDACTED}` });
  });
});

describe('redactUrl', () => {
  it('hides secret parameters and user info', () => {
    const url = redactUrl(`https://user:pass@api.example.com/v1/items?hapikey=abc123&api_key=xyz789&limit=10&email=ana@example.com`, FORMS);
    const parsed = new URL(url);

    expect(parsed.username).toBe(encodeURIComponent(REDACTED));
    expect(parsed.password).toBe(encodeURIComponent(REDACTED));
    expect(parsed.searchParams.get('hapikey')).toBe(REDACTED);
    expect(parsed.searchParams.get('api_key')).toBe(REDACTED);
    expect(parsed.searchParams.get('limit')).toBe('10');
    expect(parsed.searchParams.get('email')).toBe(MASKED_EMAIL);
    expect(url).not.toContain('abc123');
    expect(url).not.toContain('pass@');
  });

  it('masks a secret in the path', () => {
    expect(redactUrl(`https://hooks.example.com/services/${SECRET}/post`, FORMS)).not.toContain(SECRET);
  });
});

describe('redactQuery', () => {
  it('hides secret names and keeps others', () => {
    expect(redactQuery({ access_token: 'abc', limit: 5, after: null, q: 'ana@example.com' }, FORMS)).toEqual({ access_token: REDACTED, limit: 5, after: null, q: MASKED_EMAIL });
  });
});

describe('redactBody', () => {
  it('walks JSON bodies', () => {
    const body = {
      results: [
        { id: '101', properties: { email: 'Ana.Souza@example.com.br', phone: '11987654321', mobilephone: null, createdate: '2024-05-01T12:00:00.000Z', notes: 'call +55 11 98765-4321 today' } },
      ],
      refresh_token: 'r-1',
      client_secret: { value: 'x' },
      paging: { next: { after: '102' } },
      total: 123456789012,
    };
    const redacted = redactBody(body, FORMS) as any;

    expect(redacted.results[0].id).toBe('101');
    expect(redacted.results[0].properties.email).toBe(MASKED_EMAIL);
    expect(redacted.results[0].properties.phone).toBe(MASKED_PHONE);
    expect(redacted.results[0].properties.mobilephone).toBeNull();
    expect(redacted.results[0].properties.createdate).toBe('2024-05-01T12:00:00.000Z');
    expect(redacted.results[0].properties.notes).toBe(`call ${MASKED_PHONE} today`);
    expect(redacted.refresh_token).toBe(REDACTED);
    expect(redacted.client_secret).toBe(REDACTED);
    expect(redacted.paging.next.after).toBe('102');
    expect(redacted.total).toBe(123456789012);
  });

  it('masks formatted phone values in any field', () => {
    const redacted = redactBody({ contact: '(11) 98765-4321', id: '1736520000000', date: '2024-05-01', range: '10-20' }, FORMS) as any;

    expect(redacted.contact).toBe(MASKED_PHONE);
    expect(redacted.id).toBe('1736520000000');
    expect(redacted.date).toBe('2024-05-01');
    expect(redacted.range).toBe('10-20');
  });

  it('masks forms by parameter', () => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r-2', client_id: 'app' });
    expect(redactBody(form, FORMS)).toEqual({ grant_type: 'refresh_token', refresh_token: REDACTED, client_id: 'app' });
  });

  it('masks text bodies', () => {
    expect(redactBody(`error for ${SECRET} from bob@example.org`, FORMS)).toBe(`error for ${REDACTED} from ${MASKED_EMAIL}`);
  });
});

describe('secretForms', () => {
  it('covers encodings and skips short values', () => {
    const forms = secretForms([SECRET, 'abc']);

    expect(forms).toContain(SECRET);
    expect(forms).toContain(Buffer.from(SECRET).toString('base64'));
    expect(forms).toContain(Buffer.from(SECRET).toString('base64url'));
    expect(forms).not.toContain('abc');
  });

  it('lets maskText hide base64 copies', () => {
    expect(maskText(`Basic ${Buffer.from(SECRET).toString('base64')}`, FORMS)).toBe(`Basic ${REDACTED}`);
  });
});

describe('scrubSecrets', () => {
  it('replaces secrets in keys and values', () => {
    const scrubbed = scrubSecrets({ [`key-${SECRET}`]: [`a ${SECRET}`, 42, null], nested: { text: Buffer.from(SECRET).toString('base64url') } }, [SECRET]);

    expect(scrubbed).toEqual({ [`key-${REDACTED}`]: [`a ${REDACTED}`, 42, null], nested: { text: REDACTED } });
  });
});
