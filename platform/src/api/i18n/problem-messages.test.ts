import { describe, expect, it } from 'vitest';

import { localizeDetail } from './problem-messages.js';

const ENGLISH = 'The English message raised with the error.';

describe('localizeDetail', () => {
  it('writes caller errors in Portuguese', () => {
    const codes = ['OBJECT_NOT_FOUND', 'ACTION_NOT_FOUND', 'API_KEY_NOT_FOUND', 'CONNECTION_AMBIGUOUS', 'INVALID_CURSOR', 'MAPPING_VERSION_NOT_FOUND', 'SESSION_EXPIRED', 'WRITE_BATCH_NOT_FOUND'];

    for (const code of codes) {
      const localized = localizeDetail(code, 'pt-BR', {}, ENGLISH);
      expect(localized.language, code).toBe('pt-BR');
      expect(localized.detail, code).not.toBe(ENGLISH);
      expect(localized.detail, code).toMatch(/^[A-ZÁÉÍÓÚ].+\.$/);
    }
  });

  it('keeps English for an untranslated code', () => {
    expect(localizeDetail('LOCK_LOST', 'pt-BR', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
  });

  it('keeps English when a fact is missing', () => {
    expect(localizeDetail('LOGIN_RATE_LIMITED', 'pt-BR', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
    expect(localizeDetail('LOGIN_RATE_LIMITED', 'pt-BR', { retryAfterSeconds: 30 }, ENGLISH).detail).toContain('30 segundos');
  });

  it('writes provider errors with their facts', () => {
    const rejected = localizeDetail('PROVIDER_AUTH_FAILED', 'pt-BR', { providerStatus: 401, providerMessage: 'Authentication credentials not found.' }, ENGLISH);
    expect(rejected.language).toBe('pt-BR');
    expect(rejected.detail).toContain('HTTP 401: "Authentication credentials not found."');

    const failed = localizeDetail('PROVIDER_REQUEST_FAILED', 'pt-BR', { providerStatus: 503 }, ENGLISH);
    expect(failed.detail).toBe('O provedor respondeu HTTP 503; tente de novo mais tarde.');
    expect(localizeDetail('PROVIDER_REQUEST_FAILED', 'pt-BR', { providerStatus: 422 }, ENGLISH).detail).toContain('confira os valores enviados');

    const paused = localizeDetail('PROVIDER_CIRCUIT_OPEN', 'pt-BR', { connector: 'HubSpot', state: 'open', nextProbeAt: '2026-12-05T10:00:00.000Z' }, ENGLISH);
    expect(paused.detail).toContain('pausadas até 2026-12-05T10:00:00.000Z');
    expect(localizeDetail('PROVIDER_TIMEOUT', 'pt-BR', { url: 'https://api.example.com/x', timeoutMs: 30000 }, ENGLISH).detail).toContain('30000 ms');
  });

  it('names the objects and the record', () => {
    expect(localizeDetail('OBJECT_NOT_FOUND', 'pt-BR', { objects: ['contacts', 'deals'] }, ENGLISH).detail).toBe('O conector não tem esse objeto; os objetos dele são "contacts", "deals".');
    expect(localizeDetail('RECORD_NOT_FOUND', 'pt-BR', { provider: 'HubSpot', object: 'contacts', externalId: '42' }, ENGLISH).detail).toBe('HubSpot não tem registro de contacts com id "42".');
  });

  it('keeps English without provider facts', () => {
    for (const code of ['PROVIDER_AUTH_FAILED', 'PROVIDER_REQUEST_FAILED', 'PROVIDER_TIMEOUT', 'PROVIDER_UNREACHABLE', 'PROVIDER_CIRCUIT_OPEN', 'PROVIDER_RETRIES_EXHAUSTED', 'HOST_NOT_ALLOWED']) {
      expect(localizeDetail(code, 'pt-BR', {}, ENGLISH), code).toEqual({ detail: ENGLISH, language: 'en' });
    }
  });

  it('keeps English for English requests', () => {
    expect(localizeDetail('OBJECT_NOT_FOUND', 'en', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
  });
});
