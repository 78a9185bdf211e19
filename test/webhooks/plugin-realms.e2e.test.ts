import { createHmac } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, expectUnverified, readEvent, send, type ConnectedEndpoint } from './support/deliveries.js';
import { fixtureManifest, messageFields, writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';

// Plugin webhook hooks of a delivery to a connection's own URL run in a realm the sandbox
// keeps warm for that connection. The fixture plugin records, in module state, the marker
// of each delivery its verifyWebhook hook saw, and parseWebhook returns that record.

const SECRET_A = 'realm-secret-a';
const SECRET_B = 'realm-secret-b';
const PLUGIN_SOURCE = fileURLToPath(new URL('./fixtures/realm-state-plugin.ts', import.meta.url));

const manifest = {
  ...fixtureManifest({
    id: 'hook-realms',
    webhooks: { signature: { scheme: 'plugin' }, contentType: 'json', routes: [{ eventType: 'item.*', object: 'messages', action: 'upsert', idPath: 'id' }] },
    objects: [{ key: 'messages', mapping: { canonicalObject: 'message', fields: messageFields('message.text') } }],
  }),
  plugin: { entry: 'plugin/index.ts', capabilities: ['crypto'] as Array<'crypto'> },
};

function signedDelivery(url: string, marker: string, secret: string) {
  const body = Buffer.from(JSON.stringify({ marker }));
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return { url, body, headers: { 'content-type': 'application/json', 'x-items-signature': signature } };
}

forEachDatabase((database) => {
  describe('plugin webhook realms', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    let first: ConnectedEndpoint;
    let second: ConnectedEndpoint;

    beforeAll(async () => {
      folder = await writeConnectorsFolder([manifest]);
      await mkdir(join(folder.dir, manifest.id, 'plugin'), { recursive: true });
      await copyFile(PLUGIN_SOURCE, join(folder.dir, manifest.id, 'plugin', 'index.ts'));

      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });
      first = await connect(test, manifest.id, { name: 'first', secrets: [SECRET_A] });
      second = await connect(test, manifest.id, { name: 'second', secrets: [SECRET_B] });
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    /** Sends a signed delivery and returns the markers the plugin's module state held when it parsed it. */
    async function markersSeen(endpoint: ConnectedEndpoint, marker: string, secret: string): Promise<string[]> {
      const reply = await send(signedDelivery(endpoint.webhookUrl, marker, secret));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.eventIds).toHaveLength(1);

      const event = await readEvent(test, endpoint.connectionId, reply.body.eventIds[0]);
      expect(event.payload.id).toBe(marker);
      return event.payload.markersSeenByVerify as string[];
    }

    it('keeps module state per connection', async () => {
      expect(await markersSeen(first, 'a-1', SECRET_A)).toEqual(['a-1']);
      // The second delivery to the same URL finds the first one's module state: the realm stayed warm.
      expect(await markersSeen(first, 'a-2', SECRET_A)).toEqual(['a-1', 'a-2']);

      expect(await markersSeen(second, 'b-1', SECRET_B)).toEqual(['b-1']);
      expect(await markersSeen(first, 'a-3', SECRET_A)).toEqual(['a-1', 'a-2', 'a-3']);
    });

    it('rejects a bad signature with 401', async () => {
      // Signed with the other connection's secret, which the plugin can never read.
      expectUnverified(await send(signedDelivery(second.webhookUrl, 'b-forged', SECRET_A)), 'signature_mismatch');
      expectUnverified(await send(signedDelivery(first.webhookUrl, 'a-forged', 'not-a-secret')), 'signature_mismatch');

      // Each rejected verify ran in its own connection's realm and nowhere else.
      const secondSeen = await markersSeen(second, 'b-2', SECRET_B);
      expect(secondSeen).toContain('b-forged');
      expect(secondSeen).not.toContain('a-forged');
      const firstSeen = await markersSeen(first, 'a-4', SECRET_A);
      expect(firstSeen).toContain('a-forged');
      expect(firstSeen).not.toContain('b-forged');
      expect(firstSeen.filter((marker) => marker.startsWith('b-'))).toEqual([]);
    });
  });
});
