import { describe, expect, it } from 'vitest';

import type { RecordedExchange } from './recording-format.js';
import { Redactor } from './redactor.js';

function exchange(url: string, responseJson: unknown, requestHeaders: Record<string, string> = {}): RecordedExchange {
  return {
    request: { method: 'GET', url, headers: requestHeaders },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: { json: responseJson } },
  };
}

describe('Redactor', () => {
  it('replaces credentials in headers, query and bodies', () => {
    const redactor = new Redactor({ credentials: { apiKey: 'key-1234567890abcdef' } });

    const [result] = redactor.redactExchanges([
      exchange('https://api.test/v1/items?api_key=key-1234567890abcdef&page=2', { echo: 'sent key-1234567890abcdef back' }, { 'x-api-key': 'key-1234567890abcdef' }),
    ]);

    expect(result?.request.url).toBe('https://api.test/v1/items?api_key=redacted-apiKey&page=2');
    expect(result?.request.headers['x-api-key']).toBe('redacted-apiKey');
    expect(result?.response.body).toEqual({ json: { echo: 'sent redacted-apiKey back' } });
    expect(JSON.stringify(result)).not.toContain('key-1234567890abcdef');
  });

  it('keeps the scheme of an Authorization header', () => {
    const redactor = new Redactor({ credentials: {} });

    const headers = redactor.redactHeaders({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.token', accept: 'application/json' });

    expect(headers).toEqual({ authorization: 'Bearer redacted-authorization-1', accept: 'application/json' });
  });

  it('redacts OAuth tokens everywhere they later appear', () => {
    const redactor = new Redactor({ credentials: {} });
    const token = 'at-55aa66bb77cc88dd';

    const result = redactor.redactExchanges([
      exchange('https://api.test/v1/items?cursor=1', { items: [], hint: `use ${token}` }),
      exchange('https://api.test/oauth/token', { access_token: token, refresh_token: 'rt-0011223344556677', token_type: 'bearer' }),
      exchange(`https://api.test/v1/items?access_token=${token}`, { items: [] }),
    ]);

    expect(result[1]?.response.body).toEqual({ json: { access_token: 'redacted-access_token-1', refresh_token: 'redacted-refresh_token-1', token_type: 'bearer' } });
    expect(result[2]?.request.url).toBe('https://api.test/v1/items?access_token=redacted-access_token-1');
    expect(result[0]?.response.body).toEqual({ json: { items: [], hint: 'use redacted-access_token-1' } });
  });

  it('gives each e-mail address one placeholder', () => {
    const redactor = new Redactor({ credentials: {} });

    const value = redactor.redactJson({
      owner: 'Ana.Souza@Example.org',
      watchers: ['ana.souza@example.org', 'bruno@example.net'],
      note: 'Write to bruno@example.net or ana.souza@example.org.',
    });

    expect(value).toEqual({
      owner: 'redacted-email-1@example.com',
      watchers: ['redacted-email-1@example.com', 'redacted-email-2@example.com'],
      note: 'Write to redacted-email-2@example.com or redacted-email-1@example.com.',
    });
  });

  it('gives each phone number one placeholder', () => {
    const redactor = new Redactor({ credentials: {} });

    const value = redactor.redactJson({
      phone: '+55 11 98765-4321',
      mobile: '5511987654321',
      office: '(11) 3456-7890',
      note: 'Call +55 (11) 98765-4321 today',
      whatsapp: 5511912345678,
    });

    expect(value).toEqual({
      phone: '+12025550101',
      mobile: '+12025550101',
      office: '+12025550102',
      note: 'Call +12025550101 today',
      whatsapp: 12025550103,
    });
  });

  it('leaves ids, dates and amounts alone', () => {
    const redactor = new Redactor({ credentials: {} });
    const record = { id: '2024-0001', updated_at: '2025-03-07T22:07:00.000+03:00', amount: 1234567890, order: '123-456-7890', key: 'origem' };

    expect(redactor.redactJson(record)).toEqual(record);
  });

  it('replaces a short secret only as a whole value', () => {
    const redactor = new Redactor({ credentials: { password: 'abc' } });

    expect(redactor.redactJson({ user: 'abc', word: 'abcdef' })).toEqual({ user: 'redacted-password', word: 'abcdef' });
  });

  it('redacts config settings marked secret and extra names', () => {
    const redactor = new Redactor({ credentials: {}, secretConfig: { signingKey: 'sign-0987654321' }, sensitiveNames: ['X-Shop-Token'] });

    expect(redactor.redactHeaders({ 'x-shop-token': 'shop-abc', 'x-sign': 'sign-0987654321' })).toEqual({ 'x-shop-token': 'redacted-x-shop-token-1', 'x-sign': 'redacted-signingKey' });
  });

  it('leaves placeholders as they are', () => {
    const redactor = new Redactor({ credentials: { apiKey: 'key-1234567890abcdef' } });
    const once = redactor.redactJson({ email: 'ana@example.org', phone: '+55 11 98765-4321', key: 'key-1234567890abcdef' });

    expect(redactor.redactJson(once)).toEqual(once);
  });

  it('redacts secret fields of a form body', () => {
    const redactor = new Redactor({ credentials: {} });

    const body = redactor.redactBody({ form: 'grant_type=refresh_token&refresh_token=rt-123456789&client_secret=cs-987654321' });

    expect(body).toEqual({ form: 'grant_type=refresh_token&refresh_token=redacted-refresh_token-1&client_secret=redacted-client_secret-1' });
  });
});
