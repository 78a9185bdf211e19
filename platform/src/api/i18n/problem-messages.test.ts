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
    expect(localizeDetail('EVENT_DELIVERY_NOT_FOUND', 'pt-BR', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
  });

  it('keeps English when a fact is missing', () => {
    expect(localizeDetail('LOGIN_RATE_LIMITED', 'pt-BR', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
    expect(localizeDetail('LOGIN_RATE_LIMITED', 'pt-BR', { retryAfterSeconds: 30 }, ENGLISH).detail).toContain('30 segundos');
  });

  it('keeps English for English requests', () => {
    expect(localizeDetail('OBJECT_NOT_FOUND', 'en', {}, ENGLISH)).toEqual({ detail: ENGLISH, language: 'en' });
  });
});
