import { createHmac } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, expectUnverified, listEvents, send, sendGet, waitForSettled, type ConnectedEndpoint } from './support/deliveries.js';
import { writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { META_VERIFY_TOKEN, SCHEME_CASES, type SchemeCase } from './support/scheme-cases.js';
import { linkedinChallengeResponse, slackSignature } from './support/signers.js';
import { formBody } from './support/wire-encoding.js';

const CHALLENGE_UUID = '890e4665-4dfe-4ab1-b689-ed553bceeed0';

function schemeCase(connectorId: string): SchemeCase {
  const found = SCHEME_CASES.find((candidate) => candidate.manifest.id === connectorId);
  if (!found) throw new Error(`No scheme case builds connector ${connectorId}.`);
  return found;
}

const meta = schemeCase('hook-meta');
const slack = schemeCase('hook-slack');
const linkedin = schemeCase('hook-linkedin');
const mailchimp = schemeCase('hook-mailchimp');
const shopify = schemeCase('hook-shopify');

/** Builds a Slack delivery signed now with the fixture's signing secret. */
function signedSlack(url: string, body: Buffer, contentType: string, now = Date.now()) {
  const timestamp = String(Math.floor(now / 1000));
  return { url, body, headers: { 'content-type': contentType, 'x-slack-signature': slackSignature(slack.secret, body, timestamp), 'x-slack-request-timestamp': timestamp } };
}

forEachDatabase((database) => {
  describe('webhook handshakes', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    const endpoints = new Map<string, ConnectedEndpoint>();

    const urlOf = (connectorId: string): string => {
      const endpoint = endpoints.get(connectorId);
      if (!endpoint) throw new Error(`${connectorId} was not connected in beforeAll.`);
      return endpoint.webhookUrl;
    };

    beforeAll(async () => {
      const cases = [meta, slack, linkedin, mailchimp, shopify];
      folder = await writeConnectorsFolder(cases.map((entry) => entry.manifest));
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });

      for (const entry of cases) {
        endpoints.set(entry.manifest.id, await connect(test, entry.manifest.id, { secrets: [entry.secret, ...(entry.extraSecrets ?? [])], ...(entry.verifyToken ? { verifyToken: entry.verifyToken } : {}) }));
      }
      endpoints.set('meta-without-secrets', await connect(test, 'hook-meta', { name: 'no-secrets' }));
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    describe('Meta hub.challenge', () => {
      const challengeUrl = (token: string | null, challenge = '1158201444') => {
        const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': challenge });
        if (token !== null) query.set('hub.verify_token', token);
        return `${urlOf('hook-meta')}?${query}`;
      };

      it('echoes the challenge for the verify token', async () => {
        const reply = await sendGet(challengeUrl(META_VERIFY_TOKEN));
        expect(reply.status).toBe(200);
        expect(reply.contentType).toMatch(/^text\/plain/);
        expect(reply.text).toBe('1158201444');
      });

      it('echoes an escaped challenge exactly', async () => {
        const challenge = 'a b+c/é😀&=';
        const reply = await sendGet(challengeUrl(META_VERIFY_TOKEN, challenge));
        expect(reply.status).toBe(200);
        expect(reply.text).toBe(challenge);
      });

      it('rejects a wrong or missing verify token', async () => {
        const wrong = await sendGet(challengeUrl(`${META_VERIFY_TOKEN}x`));
        expectUnverified(wrong, 'credentials_mismatch');
        expect(wrong.text).not.toContain('1158201444');

        expectUnverified(await sendGet(challengeUrl(null)), 'header_missing');
      });

      it('rejects a connection without secrets', async () => {
        const url = `${endpoints.get('meta-without-secrets')?.webhookUrl}?hub.mode=subscribe&hub.challenge=5&hub.verify_token=${META_VERIFY_TOKEN}`;
        expectUnverified(await sendGet(url), 'secret_missing');
      });

      it('never accepts the verify token as a signing secret', async () => {
        const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [] }));
        const signature = `sha256=${createHmac('sha256', META_VERIFY_TOKEN).update(body).digest('hex')}`;
        const reply = await send({ url: urlOf('hook-meta'), body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } });
        expectUnverified(reply, 'signature_mismatch');
      });

      it('returns 405 for a GET without hub.mode', async () => {
        const reply = await sendGet(urlOf('hook-meta'));
        expect(reply.status).toBe(405);
        expect(reply.body.code).toBe('WEBHOOK_METHOD_NOT_ALLOWED');
      });
    });

    describe('Slack url_verification', () => {
      const verification = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };

      it('echoes a signed challenge', async () => {
        const reply = await send(signedSlack(urlOf('hook-slack'), Buffer.from(JSON.stringify(verification)), 'application/json'));
        expect(reply.status).toBe(200);
        expect(reply.contentType).toMatch(/^text\/plain/);
        expect(reply.text).toBe(verification.challenge);
      });

      it('rejects an unsigned or stale challenge', async () => {
        const body = Buffer.from(JSON.stringify(verification));
        const unsigned = await send({ url: urlOf('hook-slack'), body, headers: { 'content-type': 'application/json' } });
        expectUnverified(unsigned, 'header_missing');
        expect(unsigned.text).not.toContain(verification.challenge);

        const stale = await send(signedSlack(urlOf('hook-slack'), body, 'application/json', Date.now() - 10 * 60_000));
        expectUnverified(stale, 'timestamp_outside_window');
      });

      it('treats a form body as an event, not a handshake', async () => {
        const body = formBody([['type', 'url_verification'], ['challenge', 'form-challenge-7']], 'plain');
        const reply = await send(signedSlack(urlOf('hook-slack'), body, 'application/x-www-form-urlencoded'));
        expect(reply.status).toBe(200);
        expect(reply.contentType).toContain('application/json');
        expect(reply.text).not.toContain('form-challenge-7');
        expect(reply.body.received).toBe(1);

        const settled = await waitForSettled(test, 'hook-slack', reply.body.eventIds[0]);
        expect(settled.status).toBe('ignored');
        expect(settled.eventType).toBeNull();
      });

      it('stores no event for a handshake', async () => {
        const before = (await listEvents(test, 'hook-slack')).length;
        const challenge = { ...verification, challenge: 'second-challenge' };
        const reply = await send(signedSlack(urlOf('hook-slack'), Buffer.from(JSON.stringify(challenge)), 'application/json'));
        expect(reply.text).toBe('second-challenge');
        expect((await listEvents(test, 'hook-slack')).length).toBe(before);
      });

      it('returns 405 for a GET', async () => {
        expect((await sendGet(`${urlOf('hook-slack')}?challenge=x`)).status).toBe(405);
      });
    });

    describe('LinkedIn challengeCode', () => {
      it('returns the HMAC of the code', async () => {
        const reply = await sendGet(`${urlOf('hook-linkedin')}?challengeCode=${CHALLENGE_UUID}&applicationId=77`);
        expect(reply.status).toBe(200);
        expect(reply.contentType).toContain('application/json');
        expect(reply.body).toEqual({ challengeCode: CHALLENGE_UUID, challengeResponse: linkedinChallengeResponse(linkedin.secret, CHALLENGE_UUID) });
      });

      it('signs with the newest secret', async () => {
        const rotated = await connect(test, 'hook-linkedin', { name: 'rotated', secrets: ['linkedin-secret-old'] });
        const update = await test.call('PUT', `/v1/integrations/${rotated.connectionId}/webhooks/secrets`, { secrets: ['linkedin-secret-new', 'linkedin-secret-old'] });
        expect(update.status).toBe(200);

        const reply = await sendGet(`${rotated.webhookUrl}?challengeCode=${CHALLENGE_UUID}`);
        expect(reply.body.challengeResponse).toBe(linkedinChallengeResponse('linkedin-secret-new', CHALLENGE_UUID));
      });

      it('rejects a code that is not a UUID', async () => {
        // Replying to any text would hand out a valid X-LI-Signature for a body of the caller's choice.
        const reply = await sendGet(`${urlOf('hook-linkedin')}?challengeCode=${encodeURIComponent('{"type":"LEAD_ACTION"}')}`);
        expectUnverified(reply, 'header_malformed');
      });
    });

    describe('Mailchimp GET check', () => {
      it('returns 200 with an empty body', async () => {
        const reply = await sendGet(urlOf('hook-mailchimp'));
        expect(reply.status).toBe(200);
        expect(reply.text).toBe('');
      });
    });

    describe('connectors without a handshake', () => {
      it('returns 405 for a GET', async () => {
        const reply = await sendGet(urlOf('hook-shopify'));
        expect(reply.status).toBe(405);
        expect(reply.contentType).toContain('application/problem+json');
        expect(reply.body.code).toBe('WEBHOOK_METHOD_NOT_ALLOWED');
      });

      it('returns 405 for any token', async () => {
        expect((await sendGet(`${test.url}/webhooks/hook-shopify/not-a-token`)).status).toBe(405);
      });

      it('returns 404 for an unknown URL', async () => {
        expect((await sendGet(`${test.url}/webhooks/hook-mailchimp/not-a-token`)).status).toBe(404);
        expect((await sendGet(`${test.url}/webhooks/no-such-connector/not-a-token`)).status).toBe(404);
      });
    });
  });
});
