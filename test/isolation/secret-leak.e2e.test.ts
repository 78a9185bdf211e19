import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PERMISSIONS } from '../../platform/src/access/index.js';
import { generateSigningSecret } from '../../platform/src/events/index.js';
import { startReceiver, type Receiver } from '../events/support/receiver.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot/index.js';
import { forEachDatabase } from '../store/databases.js';
import { pollUntil, type ApiReply, type Principal } from './support/api-client.js';
import { startCapturedPlatform, type CapturedPlatform } from './support/captured-platform.js';
import { findSecrets, type NamedSecret } from './support/secret-forms.js';

/** pino's number for the `debug` level. */
const DEBUG_LEVEL = 20;

/** What the scenario produced, for the tests to check. */
interface Scenario {
  secrets: NamedSecret[];
  connectionId: string;
  runs: { id: string; status: string }[];
  diagnostic: ApiReply;
  wrongConnect: ApiReply;
  failedLogin: ApiReply;
  /** Requests rejected for a bad field next to a secret. */
  rejected: ApiReply[];
}

function newSecrets() {
  const random = () => randomBytes(9).toString('base64url');
  return {
    token: `hubspot-token-${random()}`,
    wrongToken: `wrong-token-${random()}`,
    webhookSecrets: [`webhook-secret-one-${random()}`, `webhook-secret-two-${random()}`],
    verifyToken: `verify-token-${random()}`,
    subscriptionSecret: generateSigningSecret(),
    password: `password ${random()} with spaces & symbols`,
    wrongPassword: `wrong password ${random()}`,
    rejectedSubscriptionSecret: `not-a-whsec-secret-${random()}`,
    rejectedWebhookSecret: `rejected-webhook-secret-${random()}`,
  };
}

/** Starts a sync, waits until it ends, and returns the run id and the status it ended with. */
async function runSync(platform: CapturedPlatform, principal: Principal, connectionId: string): Promise<{ id: string; status: string }> {
  const started = await platform.call(principal, 'POST', `/v1/integrations/${connectionId}/sync`, { type: 'contacts', mode: 'full' });
  if (started.status !== 202) throw new Error(`The sync did not start: ${started.status} ${started.text}`);

  const ended = await pollUntil(
    `The end of run ${started.body.id}`,
    () => platform.call(principal, 'GET', `/v1/integrations/${connectionId}/status`),
    (reply) => reply.body.currentRuns.length === 0 && reply.body.lastRun?.id === started.body.id,
    60_000,
  );
  return { id: started.body.id, status: ended.body.lastRun.status };
}

/**
 * Runs every step that handles a secret. It connects with a right and a wrong token, sets
 * webhook secrets, subscribes with a chosen secret, and creates a key, a user and a login.
 * Then it runs syncs that succeed and fail (two with a provider error that repeats the
 * token), switches debug logging on, and reads the diagnostic report and every listing.
 */
async function runScenario(platform: CapturedPlatform, simulator: HubSpotSimulator, receiver: Receiver): Promise<Scenario> {
  const values = newSecrets();
  const config = { baseUrl: simulator.url, rateLimits: 'providerOnly' };
  simulator.setTokens([values.token]);

  const created = await platform.call(platform.admin, 'POST', '/v1/api-keys', { name: 'secret suite', scopes: [...PERMISSIONS] });
  const apiKey: string = created.body.key;
  platform.exchanges.at(-1)?.allowedInBody.push(apiKey);
  const key: Principal = { label: 'new key', kind: 'api_key', permissions: [...PERMISSIONS], actor: `key:${created.body.apiKey.id}`, key: apiKey };

  const email = `secrets-${randomBytes(4).toString('hex')}@example.com`;
  await platform.call(key, 'POST', '/v1/users', { email, name: 'Secret suite admin', role: 'admin', password: values.password });
  const failedLogin = await platform.call(null, 'POST', '/v1/session', { email, password: values.wrongPassword });
  const login = await platform.call(null, 'POST', '/v1/session', { email, password: values.password });
  const sessionToken = /lumio_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const csrfToken: string = login.body.csrfToken;
  Object.assign(platform.exchanges.at(-1) ?? {}, { allowedInHeaders: [sessionToken], allowedInBody: [csrfToken] });
  const session: Principal = { label: 'session', kind: 'user', permissions: login.body.permissions, actor: `user:${login.body.user.id}`, session: { token: sessionToken, csrfToken } };

  const wrongConnect = await platform.call(key, 'POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: values.wrongToken }, config });
  const connected = await platform.call(session, 'POST', '/v1/integrations/hubspot/connect', { credentials: { accessToken: values.token }, config });
  const connectionId: string = connected.body.connectionId;
  // Rejected requests must not repeat the secret they carried either.
  const rejected = [
    await platform.call(key, 'PUT', `/v1/integrations/${connectionId}/webhooks/secrets`, { secrets: [values.rejectedWebhookSecret, 42] }),
    await platform.call(session, 'POST', '/v1/webhooks', { url: `${receiver.url}/rejected`, events: ['*'], secret: values.rejectedSubscriptionSecret }),
  ];
  await platform.call(key, 'PUT', `/v1/integrations/${connectionId}/webhooks/secrets`, { secrets: values.webhookSecrets, verifyToken: values.verifyToken });
  const subscription = await platform.call(session, 'POST', '/v1/webhooks', { url: `${receiver.url}/events`, events: ['*'], secret: values.subscriptionSecret });
  const delivery = await platform.call(key, 'POST', `/v1/integrations/${connectionId}/webhooks/test`, {});
  for (const event of delivery.body.events ?? []) await platform.call(key, 'GET', `/v1/integrations/${connectionId}/webhooks/events/${event.id}`);

  const runs = [await runSync(platform, key, connectionId)];
  // Each failure is queued for more requests than a run sends, and cleared after the run.
  simulator.failNext(20, 500);
  runs.push(await runSync(platform, session, connectionId));
  simulator.clearFaults();
  // A provider error that repeats the token, as some APIs word an authentication failure.
  simulator.failNext(20, 400, { status: 'error', message: `The access token ${values.token} is not valid for this portal.`, category: 'VALIDATION_ERROR' });
  runs.push(await runSync(platform, key, connectionId));
  simulator.clearFaults();

  await platform.call(session, 'POST', `/v1/integrations/${connectionId}/debug`, { enabled: true, duration: 600 });
  runs.push(await runSync(platform, key, connectionId));
  await platform.call(key, 'POST', `/v1/integrations/${connectionId}/test`);
  simulator.failNext(20, 401, { status: 'error', message: `Authentication failed for token ${values.token}.`, category: 'INVALID_AUTHENTICATION' });
  runs.push(await runSync(platform, key, connectionId));
  simulator.clearFaults();

  const diagnostic = await platform.call(key, 'GET', `/v1/integrations/${connectionId}/diagnostic`);
  await platform.call(session, 'GET', '/v1/audit-log?limit=200');
  for (const run of runs) {
    await platform.call(key, 'GET', `/v1/integrations/${connectionId}/sync/logs?run=${run.id}&limit=1000`);
    await platform.call(key, 'GET', `/v1/integrations/${connectionId}/sync/logs?run=${run.id}&filter=failed`);
  }
  for (const path of ['/webhooks/logs', '/webhooks', '/debug', '/metrics', '/health', '/status', '']) await platform.call(key, 'GET', `/v1/integrations/${connectionId}${path}`);
  for (const path of ['/v1/api-keys', '/v1/users', '/v1/webhooks', `/v1/webhooks/${subscription.body.id}`, `/v1/webhooks/${subscription.body.id}/deliveries`, '/v1/integrations']) await platform.call(session, 'GET', path);
  await platform.call(session, 'DELETE', '/v1/session');

  const secrets: NamedSecret[] = [
    { name: 'access token', value: values.token },
    { name: 'wrong access token', value: values.wrongToken },
    { name: 'first webhook secret', value: values.webhookSecrets[0] ?? '' },
    { name: 'second webhook secret', value: values.webhookSecrets[1] ?? '' },
    { name: 'verify token', value: values.verifyToken },
    { name: 'subscription secret', value: values.subscriptionSecret },
    { name: 'subscription signing key', value: Buffer.from(values.subscriptionSecret.slice('whsec_'.length), 'base64') },
    { name: 'new API key', value: apiKey },
    { name: 'admin API key', value: platform.admin.key ?? '' },
    { name: 'password', value: values.password },
    { name: 'wrong password', value: values.wrongPassword },
    { name: 'rejected subscription secret', value: values.rejectedSubscriptionSecret },
    { name: 'rejected webhook secret', value: values.rejectedWebhookSecret },
    { name: 'session cookie', value: sessionToken },
    { name: 'CSRF token', value: csrfToken },
  ];
  return { secrets, connectionId, runs, diagnostic, wrongConnect, failedLogin, rejected };
}

function withoutAllowed(secrets: NamedSecret[], allowed: string[]): NamedSecret[] {
  return secrets.filter((secret) => typeof secret.value !== 'string' || !allowed.includes(secret.value));
}

forEachDatabase((database) => {
  describe('secrets stay out of logs and responses', () => {
    let receiver: Receiver;
    let simulator: HubSpotSimulator;
    let platform: CapturedPlatform;
    let scenario: Scenario;

    beforeAll(async () => {
      receiver = await startReceiver();
      simulator = createHubSpotSimulator({ seed: { seed: 5, contacts: { count: 30 } }, rateLimit: false });
      await simulator.start();
      platform = await startCapturedPlatform(database.storeOptions());
      scenario = await runScenario(platform, simulator, receiver);
      // Event deliveries are sent about two seconds after their events, so the last ones are awaited.
      await pollUntil('Event deliveries', async () => receiver.requests.length, (count) => count > 0, 15_000);
    }, 240_000);

    afterAll(async () => {
      await platform?.close();
      await simulator?.close();
      await receiver?.close();
    });

    it('scenario reached every step', () => {
      const statuses = scenario.runs.map((run) => run.status);

      expect(scenario.wrongConnect.status).toBe(422);
      expect(scenario.failedLogin.status).toBe(401);
      expect(scenario.rejected.map((reply) => reply.status)).toEqual([400, 400]);
      expect(statuses).toEqual(['succeeded', 'failed', 'failed', 'succeeded', 'failed']);
      expect(platform.exchanges.filter((exchange) => exchange.reply.status >= 500)).toEqual([]);
      expect(platform.logLines.some((line) => JSON.parse(line).level === DEBUG_LEVEL && line.includes('"provider request"'))).toBe(true);
      expect(scenario.diagnostic.status).toBe(200);
    });

    it('no log line holds a secret', () => {
      const found = platform.logLines.flatMap((line) => findSecrets(line, scenario.secrets).map((secret) => `${secret}: ${line.slice(0, 300)}`));

      expect(platform.logLines.length).toBeGreaterThan(100);
      expect(found).toEqual([]);
    });

    it('no response holds a secret', () => {
      const found: string[] = [];
      for (const { method, path, reply, allowedInBody, allowedInHeaders } of platform.exchanges) {
        const headers = [...reply.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
        for (const secret of findSecrets(reply.text, withoutAllowed(scenario.secrets, allowedInBody))) found.push(`${method} ${path} body: ${secret}`);
        for (const secret of findSecrets(headers, withoutAllowed(scenario.secrets, allowedInHeaders))) found.push(`${method} ${path} headers: ${secret}`);
      }

      expect(platform.exchanges.length).toBeGreaterThan(30);
      expect(found).toEqual([]);
    });

    it('diagnostic report holds no secret', () => {
      const report = scenario.diagnostic.body;

      expect(JSON.stringify(report)).toContain('accessToken');
      expect(findSecrets(scenario.diagnostic.text, scenario.secrets)).toEqual([]);
    });

    it('event deliveries hold no secret', () => {
      const found = receiver.requests.flatMap((request) => findSecrets(`${JSON.stringify(request.headers)}\n${request.body}`, scenario.secrets));

      expect(receiver.requests.length).toBeGreaterThan(0);
      expect(found).toEqual([]);
    });

    it('search finds planted secrets', () => {
      const line = platform.logLines[0] ?? '';
      for (const secret of scenario.secrets) {
        const bytes = typeof secret.value === 'string' ? Buffer.from(secret.value) : secret.value;
        const planted = [
          ...(typeof secret.value === 'string' ? [secret.value, encodeURIComponent(secret.value)] : []),
          bytes.toString('hex'),
          bytes.toString('base64'),
          bytes.toString('base64url'),
          // Inside a longer base64 text at each byte offset, as in a Basic authorization header.
          Buffer.concat([Buffer.from('u:'), bytes]).toString('base64'),
          Buffer.concat([Buffer.from('us:'), bytes]).toString('base64url'),
          Buffer.concat([Buffer.from('user:'), bytes, Buffer.from('!')]).toString('base64'),
        ];
        for (const form of planted) expect(findSecrets(`${line.slice(0, -1)},"planted":"${form}"}`, [secret]), `${secret.name} as ${form}`).not.toEqual([]);
      }
    });
  });
});
