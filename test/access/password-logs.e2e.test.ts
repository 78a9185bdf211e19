import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPlatform } from '../../platform/src/app/index.js';
import { loadConfig } from '../../platform/src/config/index.js';
import { createLogger } from '../../platform/src/observability/index.js';
import { CONNECTORS_DIR, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { login, send } from './support/access-client.js';

forEachDatabase((database) => {
  describe('access logs', () => {
    let test: TestPlatform;
    let output = '';

    beforeAll(async () => {
      const apiKey = `test_${randomBytes(24).toString('base64url')}`;
      const options = database.storeOptions();
      const config = loadConfig({
        PORT: '0',
        LUMIO_DATA_DIR: options.dataDir,
        DATABASE_URL: options.databaseUrl,
        LUMIO_ADMIN_API_KEY: apiKey,
        LUMIO_CONNECTORS_DIR: CONNECTORS_DIR,
        LUMIO_DEMO: 'false',
        LUMIO_PASSWORD_SCRYPT_COST: '14',
      });
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          output += chunk.toString();
          done();
        },
      });
      const platform = await startPlatform(config, createLogger({ level: 'trace', destination }));
      test = { platform, url: platform.url, apiKey, call: () => Promise.reject(new Error('unused')), close: () => platform.close() };
    }, 60_000);

    afterAll(async () => {
      await test?.close();
    });

    it('never contain a password or token', async () => {
      const password = `secret-${randomBytes(9).toString('hex')}`;
      const wrongPassword = `wrong-${randomBytes(9).toString('hex')}`;
      const unknownPassword = `unknown-${randomBytes(9).toString('hex')}`;
      const shortPassword = `s${randomBytes(3).toString('hex')}`;

      const created = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: 'logged@example.com', name: 'Logged', role: 'admin', password } });
      const rejected = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: 'short@example.com', name: 'Short', role: 'user', password: shortPassword } });
      const misspelt = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email: 'typo@example.com', name: 'Typo', role: 'user', passwort: password } });
      const session = await login(test, 'logged@example.com', password);
      await send(test, 'GET', '/v1/session', { session });
      await send(test, 'POST', '/v1/api-keys', { session, body: { name: 'from the studio', scopes: ['integrations.read'] } });
      const failed = await send(test, 'POST', '/v1/session', { body: { email: 'logged@example.com', password: wrongPassword } });
      await send(test, 'POST', '/v1/session', { body: { email: 'nobody@example.com', password: unknownPassword } });
      await send(test, 'DELETE', '/v1/session', { session });
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(created.status).toBe(201);
      expect(rejected.status).toBe(400);
      expect(misspelt.status).toBe(400);
      expect(failed.status).toBe(401);
      // The capture works: the events themselves are logged.
      expect(output).toContain('user created');
      expect(output).toContain('login succeeded');
      expect(output).toContain('login failed');
      expect(output).toContain('"msg":"request"');
      for (const secret of [password, wrongPassword, unknownPassword, shortPassword, session.token, session.csrfToken, test.apiKey]) {
        expect(output).not.toContain(secret);
      }
    });
  });
});
