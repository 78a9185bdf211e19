import { describe, expect, it } from 'vitest';
import { getHandshake } from './index.js';

describe('getHandshake', () => {
  it('returns each declared handshake', () => {
    for (const type of ['metaChallenge', 'slackUrlVerification', 'linkedinChallenge', 'mailchimpGet'] as const) {
      expect(getHandshake(type).type).toBe(type);
    }
  });
});
