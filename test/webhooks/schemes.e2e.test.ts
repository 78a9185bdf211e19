import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { forEachDatabase } from '../store/databases.js';
import { connect, countEvents, expectUnverified, findRecord, listEvents, send, waitForSettled, type Delivery, type DeliveryReply } from './support/deliveries.js';
import { writeConnectorsFolder, type ConnectorsFolder } from './support/fixture-connectors.js';
import { SCHEME_CASES, newEvent, type CaseEvent, type SchemeCase } from './support/scheme-cases.js';
import { changeOneByte, UNICODE_TEXT, type WireStyle } from './support/wire-encoding.js';

/** Webhook URLs of a connector's three connections: with secrets, never given any, and given an empty list. */
interface Endpoints {
  main: string;
  unset: string;
  empty: string;
}

interface BuildOptions {
  secret?: string;
  now?: number;
  wire?: WireStyle;
  endpoint?: keyof Endpoints;
}

forEachDatabase((database) => {
  describe('webhook schemes', () => {
    let folder: ConnectorsFolder;
    let test: TestPlatform;
    const endpoints = new Map<string, Endpoints>();

    beforeAll(async () => {
      folder = await writeConnectorsFolder(SCHEME_CASES.map((schemeCase) => schemeCase.manifest));
      test = await startTestPlatform({ store: database.storeOptions(), connectorsDir: folder.dir });

      for (const schemeCase of SCHEME_CASES) {
        const connectorId = schemeCase.manifest.id;
        const main = await connect(test, connectorId, { secrets: [schemeCase.secret, ...(schemeCase.extraSecrets ?? [])], ...(schemeCase.verifyToken ? { verifyToken: schemeCase.verifyToken } : {}) });
        const unset = await connect(test, connectorId, { name: 'no-secrets' });
        const empty = await connect(test, connectorId, { name: 'empty-secrets', secrets: [] });
        endpoints.set(connectorId, { main: main.webhookUrl, unset: unset.webhookUrl, empty: empty.webhookUrl });
      }
    });

    afterAll(async () => {
      await test?.close();
      await folder?.remove();
    });

    describe.each(SCHEME_CASES)('$label', (schemeCase: SchemeCase) => {
      const connectorId = schemeCase.manifest.id;
      const mismatchReason = schemeCase.signsBody ? 'signature_mismatch' : 'credentials_mismatch';

      const build = (event: CaseEvent, options: BuildOptions = {}): Delivery => {
        const urls = endpoints.get(connectorId);
        if (!urls) throw new Error(`${connectorId} was not connected in beforeAll.`);
        return schemeCase.build({ url: urls[options.endpoint ?? 'main'], event, secret: options.secret ?? schemeCase.secret, now: options.now ?? Date.now(), wire: options.wire ?? 'plain' });
      };

      /** Sends a delivery that must fail verification and checks that it stored nothing. */
      const expectRejected = async (delivery: Delivery, reason: string) => {
        const before = await countEvents(test, connectorId);
        expectUnverified(await send(delivery), reason);
        expect(await countEvents(test, connectorId)).toBe(before);
      };

      /** Checks a 2xx reply and returns the id of the one event it stored. */
      const acceptedEventId = async (reply: DeliveryReply, event: CaseEvent): Promise<string> => {
        expect(reply.status, reply.text).toBe(200);
        if (schemeCase.soapAcknowledgement) {
          expect(reply.contentType).toContain('text/xml');
          expect(reply.text).toContain('<Ack>true</Ack>');
          const stored = (await listEvents(test, connectorId)).find((entry) => entry.providerEventId === event.eventId);
          expect(stored).toBeDefined();
          return stored.id;
        }
        expect(reply.body.received).toBe(1);
        expect(reply.body.eventIds).toHaveLength(1);
        return reply.body.eventIds[0];
      };

      /** Sends a valid delivery, waits for the worker, and returns the stored canonical record. */
      const deliverAndProcess = async (event: CaseEvent, wire: WireStyle = 'plain') => {
        const eventId = await acceptedEventId(await send(build(event, { wire })), event);
        const settled = await waitForSettled(test, connectorId, eventId);
        expect(settled.status, JSON.stringify(settled)).toBe('processed');
        expect(settled.result).toMatchObject({ action: 'upsert', externalId: event.recordId });
        return { eventId, record: await findRecord(test, connectorId, schemeCase.record.canonicalObject, event.recordId) };
      };

      it('stores and processes a signed delivery', async () => {
        const event = newEvent('Pedido confirmado');
        const { eventId, record } = await deliverAndProcess(event);

        const processed = await listEvents(test, connectorId, 'processed');
        expect(processed.map((entry) => entry.id)).toContain(eventId);
        expect(record.data[schemeCase.record.textField]).toBe('Pedido confirmado');
        expect(record.deleted).toBe(false);
      });

      it('rejects a changed byte', async () => {
        const valid = build(newEvent());
        const changed = schemeCase.signsBody ? { ...valid, body: changeOneByte(valid.body) } : schemeCase.credential.alter(valid);
        await expectRejected(changed, mismatchReason);
      });

      it('rejects a wrong secret', async () => {
        await expectRejected(build(newEvent(), { secret: schemeCase.wrongSecret }), mismatchReason);
      });

      if (schemeCase.timestamp) {
        const toleranceMs = schemeCase.timestamp.toleranceSeconds * 1000;

        it('rejects stale and future timestamps', async () => {
          await expectRejected(build(newEvent(), { now: Date.now() - toleranceMs - 60_000 }), 'timestamp_outside_window');
          await expectRejected(build(newEvent(), { now: Date.now() + toleranceMs + 60_000 }), 'timestamp_outside_window');
        });

        it('accepts an older timestamp inside the tolerance', async () => {
          const reply = await send(build(newEvent(), { now: Date.now() - toleranceMs + 30_000 }));
          expect(reply.status, reply.text).toBe(200);
        });
      }

      it('returns 409 for a repeated event', async () => {
        const event = newEvent();
        const first = await send(build(event));
        expect(first.status, first.text).toBe(200);
        const stored = await countEvents(test, connectorId);

        const again = await send(build(event));
        expect(again.status, again.text).toBe(409);
        expect(again.body.code).toBe('WEBHOOK_DUPLICATE');
        expect(await countEvents(test, connectorId)).toBe(stored);
      });

      it('rejects a missing credential', async () => {
        await expectRejected(schemeCase.credential.remove(build(newEvent())), schemeCase.credential.missingReason);
      });

      it('rejects a credential of the wrong length', async () => {
        await expectRejected(schemeCase.credential.malform(build(newEvent())), schemeCase.credential.malformedReason);
      });

      for (const forgery of schemeCase.extraForgeries ?? []) {
        it(`rejects ${forgery.label}`, async () => {
          await expectRejected(forgery.forge(build(newEvent())), forgery.reason);
        });
      }

      it('rejects connections without secrets', async () => {
        expectUnverified(await send(build(newEvent(), { endpoint: 'unset' })), 'secret_missing');
        expectUnverified(await send(build(newEvent(), { endpoint: 'empty' })), 'secret_missing');
      });

      it('verifies escaped and non-ASCII bodies on raw bytes', async () => {
        const sample = newEvent(UNICODE_TEXT);
        expect(build(sample, { wire: 'escaped' }).body.equals(build(sample, { wire: 'plain' }).body)).toBe(false);

        for (const wire of ['escaped', 'plain'] as const) {
          const { record } = await deliverAndProcess(newEvent(UNICODE_TEXT), wire);
          expect(record.data[schemeCase.record.textField], wire).toBe(UNICODE_TEXT);
        }
      });

      it('applies two changes to one record', async () => {
        const first = newEvent('First version');
        const second: CaseEvent = { ...newEvent('Second version'), recordId: first.recordId };

        await deliverAndProcess(first);
        const { record } = await deliverAndProcess(second);
        expect(record.data[schemeCase.record.textField]).toBe('Second version');
      });
    });
  });
});
