import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../http/index.js';
import { readTokenError, reauthorizationRequiredError, refreshFailedError } from './token-errors.js';

const target = { connectionId: 'conn_1', connector: 'hubspot', providerName: 'HubSpot' };

function errorResponse(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body, rawBody: JSON.stringify(body), durationMs: 1, url: 'https://provider.example/token' };
}

describe('readTokenError', () => {
  it('recognises invalid_grant', () => {
    const details = readTokenError(errorResponse(400, { error: 'invalid_grant', error_description: 'Token revoked' }), []);

    expect(details).toEqual({ providerStatus: 400, error: 'invalid_grant', errorDescription: 'Token revoked', grantRejected: true });
  });

  it('recognises HubSpot BAD_REFRESH_TOKEN', () => {
    const details = readTokenError(errorResponse(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token', correlationId: 'c-1' }), []);

    expect(details).toEqual({ providerStatus: 400, error: 'BAD_REFRESH_TOKEN', errorDescription: 'missing or invalid refresh token', grantRejected: true });
  });

  it.each([
    ['invalid_client', 401, { error: 'invalid_client' }],
    ['a server error', 500, { error: 'invalid_grant' }],
    ['an HTML page', 502, '<html>Bad gateway</html>'],
    ['invalid_request', 400, { error: 'invalid_request', error_description: 'missing grant_type' }],
  ])('does not treat %s as a rejected grant', (_name, status, body) => {
    expect(readTokenError(errorResponse(status, body), []).grantRejected).toBe(false);
  });

  it('scrubs echoed secrets', () => {
    const details = readTokenError(errorResponse(400, { error: 'invalid_request', error_description: 'refresh token rt-secret-value is malformed' }), ['rt-secret-value']);

    expect(details.errorDescription).toBe('refresh token [redacted] is malformed');
  });

  it('scrubs before shortening', () => {
    const secret = 'x'.repeat(40);
    const description = `${'a'.repeat(280)}${secret}`;

    const details = readTokenError(errorResponse(400, { error: 'invalid_request', error_description: description }), [secret]);

    expect(details.errorDescription).not.toContain('xxxxxx');
    expect(details.errorDescription).toBe(`${'a'.repeat(280)}[redacted]`);
  });
});

describe('token error messages', () => {
  it('asks to connect again', () => {
    const error = reauthorizationRequiredError(target, 'HubSpot rejected its refresh token (invalid_grant)', { providerStatus: 400, error: 'invalid_grant' });

    expect(error).toMatchObject({ code: 'OAUTH_REAUTHORIZATION_REQUIRED', status: 409, fault: 'caller' });
    expect(error.message).toBe('Connection conn_1 to HubSpot must be connected again, because HubSpot rejected its refresh token (invalid_grant).');
    expect(error.details).toEqual({ connectionId: 'conn_1', connector: 'hubspot', providerStatus: 400, error: 'invalid_grant' });
  });

  it('names the provider error', () => {
    const error = refreshFailedError(target, { providerStatus: 503, error: 'temporarily_unavailable', errorDescription: 'maintenance', grantRejected: false });

    expect(error).toMatchObject({ code: 'OAUTH_REFRESH_FAILED', status: 502, fault: 'provider' });
    expect(error.message).toContain('HTTP 503 (temporarily_unavailable: maintenance)');
    expect(error.details).toMatchObject({ error: 'temporarily_unavailable', errorDescription: 'maintenance' });
  });
});
