import { describe, expect, it } from 'vitest';
import { createCodeVerifier, deriveCodeChallenge } from './pkce.js';

describe('PKCE', () => {
  it('matches the RFC 7636 example', () => {
    // RFC 7636 appendix B.
    expect(deriveCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character verifiers', () => {
    const first = createCodeVerifier();
    const second = createCodeVerifier();

    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
  });
});
