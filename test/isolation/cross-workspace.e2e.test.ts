import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildOpenApiDocument, type OpenApiDocument } from '../../platform/src/api/openapi/index.js';
import { createResponseValidator, type ResponseValidator } from '../api/openapi-response-validator.js';
import { startTestPlatform, type TestPlatform } from '../e2e/platform-harness.js';
import { startReceiver, type Receiver } from '../events/support/receiver.js';
import { forEachDatabase } from '../store/databases.js';
import { send, sendExpecting } from './support/api-client.js';
import { findLeaks } from './support/leaks.js';
import { contractPermission, fillPath, listOperations, requiredQuery, sampleBody, type ApiOperation } from './support/operations.js';
import { diffSnapshots, takeSnapshot } from './support/state-snapshot.js';
import { checkVariant, crossWorkspaceVariants, NOT_AIMED_AT_ANOTHER_WORKSPACE } from './support/sweep.js';
import { setUpTenant, TEST_SCRYPT_COST, type Tenant } from './support/tenant.js';

// Test names come from the document the code builds, because tests are named before the
// platform starts. The first test checks that the running platform serves the same
// operations, and every later test uses the served document.
const OPERATION_NAMES = listOperations(buildOpenApiDocument()).map((operation) => operation.name);
const AUTHENTICATED = listOperations(buildOpenApiDocument()).filter((operation) => !operation.isPublic);

forEachDatabase((database) => {
  describe('cross-workspace isolation', () => {
    let receiver: Receiver;
    let test: TestPlatform;
    let a: Tenant;
    let b: Tenant;
    let served: ApiOperation[];
    let validator: ResponseValidator;
    /** A second-page cursor of B for each listing that has one. */
    const otherCursors = new Map<string, string>();

    beforeAll(async () => {
      receiver = await startReceiver();
      test = await startTestPlatform({ store: database.storeOptions(), env: { LUMIO_PASSWORD_SCRYPT_COST: String(TEST_SCRYPT_COST) } });
      a = await setUpTenant({ label: 'A', platform: test.platform, receiverUrl: receiver.url, seed: 101 });
      b = await setUpTenant({ label: 'B', platform: test.platform, receiverUrl: receiver.url, seed: 202 });

      const document = (await (await fetch(`${test.url}/v1/openapi.json`)).json()) as OpenApiDocument;
      served = listOperations(document);
      validator = createResponseValidator(document);

      for (const operation of served.filter((candidate) => candidate.method === 'GET' && candidate.queryParameters.some((parameter) => parameter.name === 'cursor'))) {
        const page = await sendExpecting(test.url, b.admin, 'GET', fillPath(operation.template, () => b) + requiredQuery(operation, b, { limit: '1' }), 200);
        if (typeof page.nextCursor === 'string') otherCursors.set(operation.name, page.nextCursor);
      }
    }, 240_000);

    afterAll(async () => {
      await test?.close();
      await a?.close();
      await b?.close();
      await receiver?.close();
    });

    const operationNamed = (name: string): ApiOperation => {
      const operation = served.find((candidate) => candidate.name === name);
      if (!operation) throw new Error(`The served document has no operation ${name}.`);
      return operation;
    };

    it('serves the operations the code documents', () => {
      expect(served.map((operation) => operation.name)).toEqual(OPERATION_NAMES);
      for (const name of Object.keys(NOT_AIMED_AT_ANOTHER_WORKSPACE)) expect(OPERATION_NAMES).toContain(name);
    });

    it('documents the contract permission of each operation', () => {
      const mismatches = served
        .filter((operation) => !operation.isPublic)
        .map((operation) => ({ name: operation.name, documented: operation.documentedPermission, contract: contractPermission(operation.method, operation.template) }))
        .filter(({ documented, contract }) => (contract.includes('.') ? documented !== contract : documented !== null));
      const publicOperations = served.filter((operation) => operation.isPublic && operation.template.startsWith('/v1/'));

      expect(mismatches).toEqual([]);
      for (const operation of publicOperations) expect(contractPermission(operation.method, operation.template), operation.name).toBe('public');
    });

    it('database snapshot is stable when idle', async () => {
      const first = await takeSnapshot(test.platform.store);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const second = await takeSnapshot(test.platform.store);

      expect(diffSnapshots(first, second)).toEqual([]);
      expect(first.get('records')?.length).toBeGreaterThan(40);
    });

    describe('checks can fail', () => {
      it('leak search finds a planted id', () => {
        const reply = { status: 404, text: JSON.stringify({ detail: `See ${b.subscriptionId}.` }), body: null, headers: new Headers({ 'x-trace': b.workspace.id }) };

        expect(findLeaks(reply, { path: '/v1/webhooks/sub_other' }, b.markers())).toEqual([b.workspace.id, b.subscriptionId]);
        expect(findLeaks(reply, { path: `/v1/webhooks/${b.subscriptionId}` }, b.markers())).toEqual([b.workspace.id]);
      });

      it('validator rejects a wrong problem body', () => {
        const problems = validator.validate('GET', '/v1/integrations/{id}', { status: 404, body: { title: 'Not Found' }, headers: { 'content-type': 'application/problem+json' } });
        const undeclared = validator.validate('DELETE', '/v1/webhooks/{id}', { status: 418, body: null });

        expect(problems.length).toBeGreaterThan(0);
        expect(undeclared.length).toBeGreaterThan(0);
      });

      it('snapshot sees a change', async () => {
        const before = await takeSnapshot(test.platform.store);
        await sendExpecting(test.url, a.admin, 'POST', `/v1/integrations/${a.connectionId}/debug`, 200, { enabled: true, duration: 60 });
        const during = await takeSnapshot(test.platform.store);
        await sendExpecting(test.url, a.admin, 'POST', `/v1/integrations/${a.connectionId}/debug`, 200, { enabled: false });
        const after = await takeSnapshot(test.platform.store);

        expect(diffSnapshots(before, during).some((change) => change.startsWith('connection_debug +'))).toBe(true);
        expect(diffSnapshots(before, after)).toEqual([]);
      });
    });

    describe('listing shows only own items', () => {
      const listing = async (path: string) => {
        const failures: string[] = [];
        const bodies: any[] = [];
        const operation = served.find((candidate) => candidate.method === 'GET' && new RegExp(`^${candidate.template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0] ?? ''));
        const needed = operation ? contractPermission('GET', operation.template) : 'unknown';

        for (const principal of a.principals.filter((candidate) => candidate.kind === 'api_key' && candidate.permissions.includes(needed))) {
          const reply = await send(test.url, principal, 'GET', path);
          if (reply.status !== 200) failures.push(`${principal.label}: status ${reply.status} ${reply.text.slice(0, 200)}`);
          failures.push(...validator.validate('GET', path, { status: reply.status, body: reply.body, headers: reply.headers }));
          failures.push(...findLeaks(reply, { path }, b.markers()).map((marker) => `${principal.label}: contains ${marker} of B`));
          bodies.push(reply.body);
        }
        return { failures, bodies };
      };

      it('integrations', async () => {
        const { failures, bodies } = await listing('/v1/integrations');
        expect(failures).toEqual([]);
        expect(bodies.length).toBeGreaterThan(1);
        for (const body of bodies) {
          const connections = body.integrations.filter((entry: any) => entry.connectionId).map((entry: any) => entry.connectionId);
          expect(connections).toEqual([a.connectionId]);
        }
      });

      it('records', async () => {
        const { failures, bodies } = await listing('/v1/records?object=contact&limit=1000&includeDeleted=true');
        expect(failures).toEqual([]);
        for (const body of bodies) {
          expect(body.records.map((record: any) => record.id).sort()).toEqual([...a.recordIds].sort());
          expect(new Set(body.records.map((record: any) => record.connectionId))).toEqual(new Set([a.connectionId]));
        }
      });

      it('event subscriptions', async () => {
        const { failures, bodies } = await listing('/v1/webhooks');
        expect(failures).toEqual([]);
        for (const body of bodies) expect(body.webhooks.map((webhook: any) => webhook.id)).toEqual([a.subscriptionId]);
      });

      it('API keys', async () => {
        const { failures, bodies } = await listing('/v1/api-keys?limit=200');
        expect(failures).toEqual([]);
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) expect(body.apiKeys.map((key: any) => key.id).sort()).toEqual([...a.keyIds].sort());
      });

      it('users', async () => {
        const { failures, bodies } = await listing('/v1/users?limit=200');
        expect(failures).toEqual([]);
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) {
          expect(body.users.map((user: any) => user.id).sort()).toEqual([...a.userIds].sort());
          expect(new Set(body.users.map((user: any) => user.workspaceId))).toEqual(new Set([a.workspace.id]));
        }
      });

      it('audit log', async () => {
        const { failures, bodies } = await listing('/v1/audit-log?limit=200');
        const actors = new Set(a.principals.map((principal) => principal.actor));
        expect(failures).toEqual([]);
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) {
          expect(body.entries.length).toBeGreaterThan(0);
          expect(new Set(body.entries.map((entry: any) => entry.workspaceId))).toEqual(new Set([a.workspace.id]));
          expect(body.entries.filter((entry: any) => !actors.has(entry.actor) && entry.actor !== 'anonymous')).toEqual([]);
        }
      });

      it('sync logs', async () => {
        const { failures, bodies } = await listing(`/v1/integrations/${a.connectionId}/sync/logs`);
        expect(failures).toEqual([]);
        for (const body of bodies) {
          expect(body.connectionId).toBe(a.connectionId);
          expect(body.run.id).toBe(a.runId);
          expect(body.entries.length).toBeGreaterThan(0);
        }
      });

      it('webhook logs', async () => {
        const { failures, bodies } = await listing(`/v1/integrations/${a.connectionId}/webhooks/logs`);
        expect(failures).toEqual([]);
        for (const body of bodies) expect(body.events.map((event: any) => event.id).sort()).toEqual([...a.webhookEventIds].sort());
      });
    });

    describe('other workspace is hidden', () => {
      it.each(AUTHENTICATED.map((operation) => operation.name))('%s', async (name) => {
        const operation = operationNamed(name);
        const variants = crossWorkspaceVariants(operation, a, b, otherCursors.get(name));
        if (NOT_AIMED_AT_ANOTHER_WORKSPACE[name]) {
          expect(variants).toEqual([]);
          return;
        }
        expect(variants.length).toBeGreaterThan(0);

        const before = await takeSnapshot(test.platform.store);
        const failures: string[] = [];
        for (const variant of variants) {
          for (const principal of a.principals) failures.push(...(await checkVariant(test.url, variant, principal, { validator, other: b, markers: b.markers() })));
        }
        const changes = diffSnapshots(before, await takeSnapshot(test.platform.store));

        expect(failures).toEqual([]);
        expect(changes).toEqual([]);
      });
    });

    describe('missing permission is denied', () => {
      it.each(AUTHENTICATED.map((operation) => operation.name))('%s', async (name) => {
        const operation = operationNamed(name);
        const needed = contractPermission(operation.method, operation.template);
        const lacking = a.principals.filter((principal) => needed.includes('.') && !principal.permissions.includes(needed));
        if (!needed.includes('.')) {
          expect(['authenticated']).toContain(needed);
          return;
        }
        expect(lacking.length).toBeGreaterThan(0);

        const path = fillPath(operation.template, () => a) + requiredQuery(operation, a);
        const body = sampleBody(operation, a);
        const before = await takeSnapshot(test.platform.store);
        const failures: string[] = [];
        for (const principal of lacking) {
          const reply = await send(test.url, principal, operation.method, path, body);
          const where = `${operation.method} ${path} as ${principal.label}`;
          if (reply.status !== 403 || reply.body?.code !== 'PERMISSION_DENIED') failures.push(`${where}: expected 403 PERMISSION_DENIED, got ${reply.status} ${reply.text.slice(0, 200)}`);
          if (!(reply.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`${where}: content type ${reply.headers.get('content-type')}`);
          if (!String(reply.body?.detail).includes(needed)) failures.push(`${where}: detail does not name ${needed}: ${reply.body?.detail}`);
          failures.push(...validator.validate(operation.method, operation.template, { status: reply.status, body: reply.body, headers: reply.headers }).map((problem) => `${where}: ${problem}`));
        }
        const changes = diffSnapshots(before, await takeSnapshot(test.platform.store));

        expect(failures).toEqual([]);
        expect(changes).toEqual([]);
      });
    });

    it('other workspace still works afterwards', async () => {
      const read = (path: string) => sendExpecting(test.url, b.admin, 'GET', path, 200);

      const connection = await read(`/v1/integrations/${b.connectionId}`);
      const subscription = await read(`/v1/webhooks/${b.subscriptionId}`);
      const keys = await read('/v1/api-keys?limit=200');
      const users = await read('/v1/users?limit=200');
      const mapping = await read(`/v1/integrations/${b.connectionId}/field-mappings/contacts`);
      const debug = await read(`/v1/integrations/${b.connectionId}/debug`);
      const schedules = await read(`/v1/integrations/${b.connectionId}/sync/schedules`);
      const audit = await read('/v1/audit-log?limit=200');
      const actorsOfB = new Set(b.principals.map((principal) => principal.actor));

      expect(connection.status).toBe('connected');
      expect(subscription.id).toBe(b.subscriptionId);
      expect(keys.apiKeys.filter((key: any) => key.revokedAt !== null)).toEqual([]);
      expect(users.users.map((user: any) => user.id).sort()).toEqual([...b.userIds].sort());
      expect(mapping.version).toBe(b.mappingVersion);
      expect(debug.enabled).toBe(false);
      expect(schedules.schedules).toEqual([]);
      expect(audit.entries.length).toBeGreaterThan(0);
      expect(audit.entries.filter((entry: any) => entry.workspaceId !== b.workspace.id || !actorsOfB.has(entry.actor))).toEqual([]);
      for (const principal of b.principals) {
        const path = principal.kind === 'user' ? '/v1/session' : `/v1/integrations/${b.connectionId}`;
        const expected = principal.kind === 'api_key' && !principal.permissions.includes('integrations.read') ? 403 : 200;
        const own = await send(test.url, principal, 'GET', path);
        expect(own.status, principal.label).toBe(expected);
      }
    });

    it('events reach own subscribers only', () => {
      const toA = receiver.requests.filter((request) => request.path.includes(`tenant-a-${a.unique}`));
      const toB = receiver.requests.filter((request) => request.path.includes(`tenant-b-${b.unique}`));
      const leakedToA = toA.filter((request) => b.markers().some((marker) => request.body.includes(marker)));
      const leakedToB = toB.filter((request) => a.markers().some((marker) => request.body.includes(marker)));

      expect(toA.length).toBeGreaterThan(0);
      expect(toB.length).toBeGreaterThan(0);
      expect(toA.length + toB.length).toBe(receiver.requests.length);
      expect(toA.some((request) => request.body.includes(a.connectionId))).toBe(true);
      expect(leakedToA.map((request) => request.body.slice(0, 300))).toEqual([]);
      expect(leakedToB.map((request) => request.body.slice(0, 300))).toEqual([]);
    });

    it('neighbour failures leave own metrics alone', async () => {
      const read = (tenant: Tenant, what: string) => sendExpecting(test.url, tenant.admin, 'GET', `/v1/integrations/${tenant.connectionId}/${what}`, 200);
      const countsOf = (metrics: any) => ({ requests: metrics.requests.requests, errors: metrics.requests.errors, errorsByType: metrics.requests.errorsByType });
      const ownBefore = await read(a, 'metrics');
      const ownHealthBefore = await read(a, 'health');
      const otherBefore = await read(b, 'metrics');

      b.simulator.failNext(30, 500);
      for (let attempt = 0; attempt < 5; attempt += 1) await sendExpecting(test.url, b.admin, 'POST', `/v1/integrations/${b.connectionId}/test`, 200);
      b.simulator.clearFaults();

      const ownAfter = await read(a, 'metrics');
      const ownHealthAfter = await read(a, 'health');
      const otherAfter = await read(b, 'metrics');
      const own = await sendExpecting(test.url, a.admin, 'GET', `/v1/integrations/${a.connectionId}`, 200);

      expect(otherAfter.requests.errors).toBeGreaterThan(otherBefore.requests.errors);
      expect(countsOf(ownAfter)).toEqual(countsOf(ownBefore));
      expect(ownHealthAfter.status).toBe(ownHealthBefore.status);
      expect(ownHealthAfter.circuitBreakers.map((breaker: any) => breaker.state)).toEqual(ownHealthBefore.circuitBreakers.map((breaker: any) => breaker.state));
      expect(own.health).toBe('healthy');
    });
  });
});
