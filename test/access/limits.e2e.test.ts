import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { createKey, createUser, login, send, startAccessPlatform } from './support/access-client.js';

forEachDatabase((database) => {
  describe('request and login limits', () => {
    let test: TestPlatform;

    beforeAll(async () => {
      test = await startAccessPlatform(database, {
        LUMIO_API_RATE_PER_SECOND: '1',
        LUMIO_API_RATE_BURST: '20',
        LUMIO_LOGIN_MAX_FAILURES: '3',
        LUMIO_LOGIN_MAX_FAILURES_PER_IP: '6',
        // Only the cookie's Secure flag reads it; nothing connects to this address.
        LUMIO_PUBLIC_URL: 'https://lumio.example.invalid',
      });
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    /** Sends requests until the first 429 (at most 40) and returns the statuses and the rejection. */
    async function exhaust(options: Parameters<typeof send>[3]) {
      const statuses: number[] = [];
      for (let index = 0; index < 40; index += 1) {
        const reply = await send(test, 'GET', '/v1/integrations', options);
        statuses.push(reply.status);
        if (reply.status === 429) return { statuses, rejected: reply };
      }
      return { statuses, rejected: null };
    }

    it('answer 429 with Retry-After past the burst', async () => {
      const limited = await createKey(test, ['integrations.read']);
      const other = await createKey(test, ['integrations.read']);

      const { statuses, rejected } = await exhaust({ key: limited.key });
      const otherKey = await send(test, 'GET', '/v1/integrations', { key: other.key });

      // The burst of 20, plus whatever refilled at one per second while they ran.
      expect(statuses.length).toBeGreaterThan(20);
      expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
      expect(rejected?.headers.get('retry-after')).toBe('1');
      expect(rejected?.headers.get('content-type')).toContain('application/problem+json');
      expect(rejected?.body.code).toBe('RATE_LIMITED');
      expect(otherKey.status).toBe(200);
    });

    it('limit each session', async () => {
      const user = await createUser(test, 'user');
      const session = await login(test, user.email, user.password);

      const { statuses, rejected } = await exhaust({ session });

      expect(statuses.length).toBeGreaterThan(20);
      expect(rejected?.body.detail).toContain('this session');
    });

    it('mark the cookie Secure behind https', async () => {
      const user = await createUser(test, 'user');

      const session = await login(test, user.email, user.password);

      expect(session.setCookie).toMatch(/;\s*Secure/i);
    });

    it('limit failed logins per email, then per address', async () => {
      const user = await createUser(test, 'user');
      const wrong = { email: user.email, password: 'definitely not it' };

      const failures = [];
      for (let index = 0; index < 3; index += 1) failures.push((await send(test, 'POST', '/v1/session', { body: wrong })).status);
      const blocked = await send(test, 'POST', '/v1/session', { body: { email: user.email, password: user.password } });

      // Three more failures on other emails use up the address's allowance of six.
      for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) failures.push((await send(test, 'POST', '/v1/session', { body: { email, password: 'whatever it is' } })).status);
      const byAddress = await send(test, 'POST', '/v1/session', { body: { email: 'fresh@example.com', password: 'whatever it is' } });

      expect(failures).toEqual([401, 401, 401, 401, 401, 401]);
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('LOGIN_RATE_LIMITED');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(blocked.headers.get('set-cookie')).toBeNull();
      expect(byAddress.status).toBe(429);
    });
  });
});
