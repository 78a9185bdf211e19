import { createHmac } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, expectUnverified, listEvents, send, waitForSettled, type ConnectedEndpoint } from './support/deliveries.js';
import { fixtureManifest, messageFields, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';

const SECRET = 'items-secret-2026';
const OLD_SECRET = 'items-secret-2025';
const PLUGIN_SOURCE = fileURLToPath(new URL('./fixtures/signed-items-plugin.ts', import.meta.url));

const manifest = {
  ...fixtureManifest({
    id: 'hook-plugin',
    webhooks: { signature: { scheme: 'plugin' }, contentType: 'json', routes: [{ eventType: 'item.*', object: 'messages', action: 'upsert', idPath: 'id' }] },
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('message.text') } }],
  }),
  plugin: { entry: 'plugin/index.ts', capabilities: ['crypto'] as Array<'crypto'> },
};

function signedDelivery(url: string, items: unknown[], secret = SECRET) {
  const body = Buffer.from(JSON.stringify({ items }));
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return { url, body, headers: { 'content-type': 'application/json', 'x-items-signature': signature } };
}

forEachDatabase((database) => {
  describe('plugin webhook hooks', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    let endpoint: ConnectedEndpoint;

    beforeAll(async () => {
      folder = await writeConnectorsFolder([manifest]);
      await mkdir(join(folder.dir, manifest.id, 'plugin'), { recursive: true });
      await copyFile(PLUGIN_SOURCE, join(folder.dir, manifest.id, 'plugin', 'index.ts'));

      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });
      endpoint = await connect(test, manifest.id, { secrets: [SECRET, OLD_SECRET] });
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    it('stores the events the plugin parses', async () => {
      const reply = await send(signedDelivery(endpoint.webhookUrl, [
        { ref: 'm-1', kind: 'created', text: 'Olá, ação 😀' },
        { ref: 'm-2', kind: 'created', text: 'Segunda' },
      ]));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.received).toBe(2);

      for (const eventId of reply.body.eventIds as string[]) await waitForSettled(test, manifest.id, eventId);
      const events = await listEvents(test, manifest.id);
      expect(events.map((event) => event.eventType).sort()).toEqual(['item.created', 'item.created']);
      expect(events.every((event) => event.status === 'processed')).toBe(true);

      const records = (await test.call('GET', '/v1/records?object=message&limit=10')).body.records as any[];
      expect(records.find((record) => record.externalId === 'm-1')?.data.body).toBe('Olá, ação 😀');
      expect(records.find((record) => record.externalId === 'm-2')?.data.body).toBe('Segunda');
    });

    it('accepts an older secret through the plugin', async () => {
      const reply = await send(signedDelivery(endpoint.webhookUrl, [{ ref: 'm-3', kind: 'created', text: 'rotated' }], OLD_SECRET));
      expect(reply.status, reply.text).toBe(200);
    });

    it('rejects what the plugin does not verify', async () => {
      const forged = signedDelivery(endpoint.webhookUrl, [{ ref: 'm-4', kind: 'created', text: 'forged' }], 'not-the-secret');
      expectUnverified(await send(forged), 'signature_mismatch');

      const tampered = signedDelivery(endpoint.webhookUrl, [{ ref: 'm-5', kind: 'created', text: 'original' }]);
      expectUnverified(await send({ ...tampered, body: Buffer.from(tampered.body.toString().replace('original', 'changed!')) }), 'signature_mismatch');
    });

    it('drops an event id the plugin returned before', async () => {
      const again = await send(signedDelivery(endpoint.webhookUrl, [{ ref: 'm-1', kind: 'created', text: 'Olá, ação 😀' }]));
      expect(again.status).toBe(409);
    });

    it('refuses a test delivery it cannot sign', async () => {
      const reply = await test.call('POST', `/v1/integrations/${manifest.id}/webhooks/test`, {});
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('WEBHOOK_TEST_UNSUPPORTED');
    });
  });
});
