import { randomBytes } from 'node:crypto';

import { createUser, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role } from '../../../platform/src/access/index.js';
import type { RunningPlatform } from '../../../platform/src/app/index.js';
import { generateSigningSecret } from '../../../platform/src/events/index.js';
import type { Workspace } from '../../../platform/src/store/index.js';
import { defaultMapping } from '../../field-mappings/support.js';
import { createHubSpotSimulator, type HubSpotSimulator } from '../../simulators/hubspot/index.js';
import { pollUntil, send, sendExpecting, type Principal } from './api-client.js';

/** Scrypt cost (log2 of N) of the test users. The platform starts with the same LUMIO_PASSWORD_SCRYPT_COST, so logins do not rehash. */
export const TEST_SCRYPT_COST = 14;
const CONTACTS = 25;

/** A workspace with one of everything the API serves, and a principal for each scope set and role. */
export interface Tenant {
  label: string;
  /** Random hex that every name, email, comment and URL of this tenant contains. */
  unique: string;
  workspace: Workspace;
  simulator: HubSpotSimulator;
  connectionId: string;
  subscriptionId: string;
  deliveryIds: string[];
  webhookEventIds: string[];
  runId: string;
  mappingObject: string;
  mappingVersion: number;
  writeId: string;
  batchId: string;
  recordIds: string[];
  /** Provider ids of the same synced contacts, in the same order. */
  recordExternalIds: string[];
  /** The key with every scope, which the setup acts through. */
  admin: Principal;
  /** A key per scope set (every scope, read only, each single scope) and a user per role. */
  principals: Principal[];
  keyIds: string[];
  userIds: string[];
  /** A key and a user that a mutation could revoke or delete, to aim DELETE routes at. */
  targetKeyId: string;
  targetUserId: string;
  users: { id: string; email: string; name: string; role: Role; password: string }[];
  /** Strings that identify this tenant's data, which no response to another tenant may contain. */
  markers(): string[];
  close(): Promise<void>;
}

export interface TenantOptions {
  label: string;
  platform: RunningPlatform;
  /** URL of the receiver that event subscriptions deliver to. */
  receiverUrl: string;
  /** Seed of the tenant's HubSpot simulator, so the two tenants sync different contacts. */
  seed: number;
}

function keyPrincipal(label: string, id: string, key: string, scopes: readonly string[]): Principal {
  return { label, kind: 'api_key', permissions: [...scopes], actor: `key:${id}`, key };
}

/** Logs a user in through `POST /v1/session` and keeps the cookie and the CSRF token. */
export async function login(baseUrl: string, label: string, email: string, password: string): Promise<Principal> {
  const reply = await send(baseUrl, null, 'POST', '/v1/session', { email, password });
  if (reply.status !== 200) throw new Error(`Login of ${email} returned ${reply.status}: ${reply.text}`);

  const token = /lumio_session=([^;]+)/.exec(reply.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error(`Login of ${email} set no lumio_session cookie.`);
  return { label, kind: 'user', permissions: reply.body.permissions, actor: `user:${reply.body.user.id}`, session: { token, csrfToken: reply.body.csrfToken } };
}

/**
 * Creates a workspace through the store and fills it through the API. It gets a HubSpot
 * connection to its own simulator that synced contacts, an event subscription with delivered
 * events, a new mapping version, webhook events from a test delivery and a written record.
 * Keys and users come from the store, and each user logs in.
 */
export async function setUpTenant(options: TenantOptions): Promise<Tenant> {
  const { label, platform } = options;
  const { store } = platform;
  const unique = randomBytes(6).toString('hex');
  const tag = `tenant-${label.toLowerCase()}-${unique}`;

  const workspace = await store.workspaces.create({ name: `Tenant ${label} ${unique}` });
  const created = await store.apiKeys.create(workspace.id, `${tag} all scopes`, [...PERMISSIONS]);
  const admin = keyPrincipal(`${label} key all scopes`, created.record.id, created.key, PERMISSIONS);
  const call = (method: string, path: string, status: number, body?: unknown) => sendExpecting(platform.url, admin, method, path, status, body);

  const token = `${tag}-hubspot-token`;
  const simulator = createHubSpotSimulator({ tokens: [token], seed: { seed: options.seed, contacts: { count: CONTACTS } }, rateLimit: false });
  simulator.store.add('contacts', { firstname: `Marker ${unique}`, lastname: `Tenant ${label}`, email: `contact-${tag}@example.com` });
  await simulator.start();

  // The subscription comes first, so the connection and the sync produce deliveries.
  const subscription = await call('POST', '/v1/webhooks', 201, { url: `${options.receiverUrl}/${tag}`, events: ['*'], secret: generateSigningSecret() });
  const connection = await call('POST', '/v1/integrations/hubspot/connect', 200, { credentials: { accessToken: token }, config: { baseUrl: simulator.url, rateLimits: 'providerOnly' } });
  const connectionId: string = connection.connectionId;

  const run = await call('POST', `/v1/integrations/${connectionId}/sync`, 202, { type: 'contacts', mode: 'full' });
  const status = await pollUntil(`The sync of ${tag}`, () => call('GET', `/v1/integrations/${connectionId}/status`, 200), (body) => body.status !== 'syncing');
  if (status.lastRun?.status !== 'succeeded') throw new Error(`The sync of ${tag} ended ${JSON.stringify(status.lastRun)}.`);

  const mapping = await call('PUT', `/v1/integrations/${connectionId}/field-mappings/contacts`, 201, { definition: defaultMapping('contacts'), comment: `Mapping of ${tag}` });

  await call('PUT', `/v1/integrations/${connectionId}/webhooks/secrets`, 200, { secrets: [`${tag}-webhook-secret`] });
  const delivered = await call('POST', `/v1/integrations/${connectionId}/webhooks/test`, 200, {});
  const webhookEventIds: string[] = delivered.events.map((event: { id: string }) => event.id);
  if (webhookEventIds.length === 0) throw new Error(`The test delivery of ${tag} stored no webhook event.`);

  const write = await call('POST', '/v1/records', 202, { integration: connectionId, object: 'contact', data: { firstName: 'Written', lastName: unique, fullName: `Written ${unique}`, email: `written-${tag}@example.com` } });
  await pollUntil(`The write of ${tag}`, () => call('GET', `/v1/records/writes/${write.id}`, 200), (body) => body.status !== 'pending');

  const principals: Principal[] = [admin];
  const keyIds = [created.record.id];
  const scopeSets: Array<[string, string[]]> = [['read only', ['integrations.read']], ...PERMISSIONS.map((scope): [string, string[]] => [scope, [scope]])];
  for (const [name, scopes] of scopeSets) {
    const key = await store.apiKeys.create(workspace.id, `${tag} ${name}`, scopes);
    keyIds.push(key.record.id);
    principals.push(keyPrincipal(`${label} key ${name}`, key.record.id, key.key, scopes));
  }

  const users: Tenant['users'] = [];
  for (const role of ROLES) {
    const email = `${role.replaceAll('_', '-')}-${tag}@example.com`;
    const password = `${tag}-${role}-password`;
    const user = await createUser(store, workspace.id, { email, name: `${role} of ${tag}`, role, password }, { logN: TEST_SCRYPT_COST, r: 8, p: 1 });
    users.push({ id: user.id, email: user.email, name: user.name, role, password });
    const principal = await login(platform.url, `${label} user ${role}`, email, password);
    if (principal.permissions.join() !== ROLE_PERMISSIONS[role].join()) throw new Error(`The login of ${role} returned permissions ${principal.permissions.join(', ')}.`);
    principals.push(principal);
  }

  const tenant: Tenant = {
    label,
    unique,
    workspace,
    simulator,
    connectionId,
    subscriptionId: subscription.id,
    deliveryIds: [],
    webhookEventIds,
    runId: run.id,
    mappingObject: 'contacts',
    mappingVersion: mapping.version,
    writeId: write.id,
    batchId: write.batchId,
    recordIds: [],
    recordExternalIds: [],
    admin,
    principals,
    keyIds,
    userIds: users.map((user) => user.id),
    targetKeyId: keyIds[1] ?? '',
    targetUserId: users.find((user) => user.role === 'user')?.id ?? '',
    users,
    markers: () => tenantMarkers(tenant),
    close: () => simulator.close(),
  };
  await waitUntilSettled(platform.url, tenant);
  return tenant;
}

/** How long the list of event deliveries must stay the same before the setup counts it as final, in milliseconds. */
const DELIVERIES_QUIET_MS = 3_500;

/**
 * Waits until the background work the setup started is over: every webhook event processed
 * and every event delivery sent. The tests compare database snapshots, which the workers
 * would otherwise change under them.
 */
export async function waitUntilSettled(baseUrl: string, tenant: Tenant): Promise<void> {
  const call = (path: string) => sendExpecting(baseUrl, tenant.admin, 'GET', path, 200);

  await pollUntil(`Webhook processing of tenant ${tenant.label}`, () => call(`/v1/integrations/${tenant.connectionId}/webhooks/logs`), (body) => body.events.length > 0 && body.events.every((event: any) => event.status === 'processed' || event.status === 'ignored'));

  // The dispatcher creates an event's deliveries only after the event has settled for two
  // seconds, at its next one-second poll. So a list whose deliveries all succeeded may still
  // miss the newest events, and it counts as final once it has stayed the same for longer.
  const deadline = Date.now() + 30_000;
  let listed = '';
  let unchangedSince = Date.now();
  for (;;) {
    const deliveries = await pollUntil(
      `Event deliveries of tenant ${tenant.label}`,
      () => call(`/v1/webhooks/${tenant.subscriptionId}/deliveries?limit=200`),
      (body) => body.deliveries.length > 0 && body.deliveries.every((delivery: any) => delivery.status === 'succeeded'),
    );
    tenant.deliveryIds = deliveries.deliveries.map((delivery: { id: string }) => delivery.id);

    const ids = [...tenant.deliveryIds].sort().join(',');
    if (ids !== listed) {
      listed = ids;
      unchangedSince = Date.now();
    } else if (Date.now() - unchangedSince >= DELIVERIES_QUIET_MS) {
      break;
    }
    if (Date.now() > deadline) throw new Error(`The event deliveries of tenant ${tenant.label} kept changing for 30 s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const records = await call('/v1/records?object=contact&limit=1000');
  tenant.recordIds = records.records.map((record: { id: string }) => record.id);
  tenant.recordExternalIds = records.records.map((record: { externalId: string }) => record.externalId);
}

function tenantMarkers(tenant: Tenant): string[] {
  return [
    tenant.unique,
    tenant.workspace.id,
    tenant.connectionId,
    tenant.subscriptionId,
    tenant.runId,
    tenant.writeId,
    tenant.batchId,
    ...tenant.deliveryIds,
    ...tenant.webhookEventIds,
    ...tenant.recordIds,
    ...tenant.keyIds,
    ...tenant.userIds,
    ...tenant.principals.flatMap((principal) => [principal.key, principal.session?.token, principal.session?.csrfToken]).filter((value): value is string => value !== undefined),
  ];
}
