import type { ResponseValidator } from '../../api/openapi-response-validator.js';
import { send, type ApiReply, type Principal } from './api-client.js';
import { findLeaks } from './leaks.js';
import { contractPermission, fillPath, ID_PARAMETERS, ID_QUERY_PARAMETERS, requiredQuery, sampleBody, type ApiOperation } from './operations.js';
import type { Tenant } from './tenant.js';

/**
 * What a request aimed at another workspace may get. `denied`: 403 or 404 with a problem body.
 * `filtered`: success, with only the caller's own data. `conflict`: 409 for an email that
 * another workspace's user has, which the product documents (an email belongs to one user
 * across all workspaces, because the login sends only the email and the password).
 * `foreign-cursor`: another workspace's page cursor gets a page of own data or a 400 for the cursor.
 */
export type Expectation = 'denied' | 'filtered' | 'conflict' | 'foreign-cursor';

/** One request of the sweep: an operation with its path and body filled in. */
export interface Variant {
  label: string;
  operation: ApiOperation;
  path: string;
  body?: unknown;
  expectation: Expectation;
}

/** Operations the cross-workspace sweep leaves out, and why. Each must still be in the document. */
export const NOT_AIMED_AT_ANOTHER_WORKSPACE: Record<string, string> = {
  'POST /v1/webhooks': 'creates a subscription in the caller workspace from a URL; its body names nothing of another workspace',
  'POST /v1/api-keys': 'creates a key in the caller workspace; its body names nothing of another workspace',
  'DELETE /v1/session': 'ends the caller session, which later requests of the sweep still need',
};

/** Bodies that name the other workspace's resources on the caller's own path, and what they should get. */
function bodyVariants(operation: ApiOperation, own: Tenant, other: Tenant): Variant[] {
  const ownPath = fillPath(operation.template, () => own);
  switch (operation.name) {
    case 'POST /v1/records':
    case 'POST /v1/records/batch':
      return [{ label: 'body names the other connection', operation, path: ownPath, body: sampleBody(operation, other), expectation: 'denied' }];
    case 'POST /v1/integrations/{id}/webhooks/replay':
      return [{ label: 'own connection, other event ids', operation, path: ownPath, body: { eventIds: other.webhookEventIds }, expectation: 'filtered' }];
    case 'POST /v1/webhooks/{id}/deliveries/replay':
      return [{ label: 'own subscription, other delivery ids', operation, path: ownPath, body: { deliveryIds: other.deliveryIds.slice(0, 5) }, expectation: 'filtered' }];
    case 'POST /v1/users': {
      const takenUser = other.users[0];
      return [{ label: 'email of the other workspace', operation, path: ownPath, body: { email: takenUser?.email, name: 'Copy', role: 'user', password: 'a long enough password' }, expectation: 'conflict' }];
    }
    default:
      return [];
  }
}

/**
 * Builds the requests that aim `operation` at `other`'s resources as `own`'s principals: every
 * id in the path from `other`, the parent from `own` and the children from `other`, one id
 * query parameter from `other`, and bodies that name `other`'s ids. Operations that name no
 * resource (listings, the session) are called plainly and must show nothing of `other`.
 */
export function crossWorkspaceVariants(operation: ApiOperation, own: Tenant, other: Tenant, otherCursor?: string): Variant[] {
  if (operation.isPublic || NOT_AIMED_AT_ANOTHER_WORKSPACE[operation.name]) return [];
  const variants: Variant[] = [];
  const { template } = operation;
  const idParameters = operation.pathParameters.filter((parameter) => ID_PARAMETERS.includes(parameter));

  if (idParameters.length > 0) {
    variants.push({ label: 'every id of the other workspace', operation, path: fillPath(template, () => other) + requiredQuery(operation, other), body: sampleBody(operation, other), expectation: 'denied' });
  }
  if (idParameters.length > 1) {
    const path = fillPath(template, (parameter) => (parameter === 'id' ? own : other)) + requiredQuery(operation, own);
    variants.push({ label: 'own parent, other child', operation, path, body: sampleBody(operation, own), expectation: 'denied' });
  }

  for (const parameter of operation.queryParameters.filter((candidate) => ID_QUERY_PARAMETERS[candidate.name])) {
    const value = ID_QUERY_PARAMETERS[parameter.name]?.(other) ?? '';
    // The audit log's `resource` is a filter, so naming another workspace's id finds nothing.
    const expectation: Expectation = parameter.name === 'resource' ? 'filtered' : 'denied';
    const ownPath = fillPath(template, () => own);
    variants.push({ label: `query ${parameter.name} of the other workspace`, operation, path: ownPath + requiredQuery(operation, own, { [parameter.name]: value }), expectation });
    for (const status of parameter.name === 'batch' ? ['succeeded', 'failed', 'pending'] : []) {
      variants.push({ label: `query batch of the other workspace, status ${status}`, operation, path: ownPath + requiredQuery(operation, own, { batch: value, status }), expectation });
    }
  }

  variants.push(...bodyVariants(operation, own, other));

  if (otherCursor !== undefined) {
    variants.push({ label: 'cursor of the other workspace', operation, path: fillPath(template, () => own) + requiredQuery(operation, own, { cursor: otherCursor }), expectation: 'foreign-cursor' });
  }
  // Reads of the caller's own resources (a diagnostic, metrics, the session) must not mention the other workspace either.
  if (operation.method === 'GET') {
    variants.push({ label: 'own resources', operation, path: fillPath(template, () => own) + requiredQuery(operation, own), expectation: 'filtered' });
  }
  return variants;
}

/** What the sweep checks each response against. */
export interface CheckContext {
  validator: ResponseValidator;
  /** The workspace the requests aim at. */
  other: Tenant;
  /** Strings of the other workspace that no response may contain. */
  markers: readonly string[];
}

function isProblem(reply: ApiReply): boolean {
  return (reply.headers.get('content-type') ?? '').startsWith('application/problem+json') && typeof reply.body?.code === 'string' && reply.body.code !== '';
}

/** Returns an id of the same shape that exists in no workspace. */
function missingTwinOf(id: string): string {
  return `${id.slice(0, -6)}zzzzzz`;
}

/** Lists the ids of a tenant that a request may name. */
function idsOf(tenant: Tenant): string[] {
  return [tenant.connectionId, tenant.subscriptionId, tenant.runId, tenant.writeId, tenant.batchId, ...tenant.deliveryIds, ...tenant.webhookEventIds, ...tenant.keyIds, ...tenant.userIds];
}

/** Replaces every id of `tenant` in a text with its missing twin, or back when `reverse` is set. */
function swapIds(text: string, tenant: Tenant, reverse = false): string {
  let swapped = text;
  for (const id of idsOf(tenant)) swapped = reverse ? swapped.replaceAll(missingTwinOf(id), id) : swapped.replaceAll(id, missingTwinOf(id));
  return swapped;
}

/**
 * Sends the variant again with the other workspace's ids replaced by ids that exist nowhere,
 * and lists how the two problems differ. Identical problems show that the resource's existence stays hidden.
 */
async function compareWithMissingTwin(baseUrl: string, variant: Variant, principal: Principal, reply: ApiReply, other: Tenant): Promise<string[]> {
  const path = swapIds(variant.path, other);
  const body = variant.body === undefined ? undefined : JSON.parse(swapIds(JSON.stringify(variant.body), other));
  const twin = await send(baseUrl, principal, variant.operation.method, path, body);

  const shape = (candidate: ApiReply, detail: string) => JSON.stringify({ status: candidate.status, type: candidate.headers.get('content-type'), code: candidate.body?.code, field: candidate.body?.field, detail });
  const real = shape(reply, String(reply.body?.detail));
  const missing = shape(twin, swapIds(String(twin.body?.detail), other, true));
  return real === missing ? [] : [`answers ${real}, but an id that exists nowhere gets ${missing}`];
}

/** Checks the status a principal got for a variant and returns what is wrong, or nothing. */
function checkStatus(variant: Variant, principal: Principal, reply: ApiReply): string[] {
  const needed = contractPermission(variant.operation.method, variant.operation.template);
  const hasPermission = !needed.includes('.') || principal.permissions.includes(needed);
  const seen = `${reply.status} ${reply.body?.code ?? ''}`.trim();

  if (!hasPermission) {
    return reply.status === 403 && isProblem(reply) && reply.body.code === 'PERMISSION_DENIED' ? [] : [`lacks ${needed}, so expected 403 PERMISSION_DENIED, got ${seen}`];
  }
  switch (variant.expectation) {
    case 'denied':
      // A connection named in a body field gets a 400 naming the field. The missing-twin check shows that it reveals nothing.
      return (reply.status === 404 || reply.status === 400) && isProblem(reply) ? [] : [`expected a 404 problem, got ${seen}`];
    case 'conflict':
      if (reply.status === 409 && isProblem(reply) && reply.body.code === 'USER_EMAIL_EXISTS') return [];
      return reply.status === 403 && isProblem(reply) && reply.body.code === 'PERMISSION_DENIED' ? [] : [`expected 409 USER_EMAIL_EXISTS or 403, got ${seen}`];
    case 'foreign-cursor':
      if (reply.status === 400 && isProblem(reply) && String(reply.body.field).replace(/^\//, '') === 'cursor') return [];
      return reply.status < 400 ? [] : [`expected a page or a 400 naming the cursor, got ${seen}`];
    case 'filtered': {
      // The session routes describe a studio session, which an API key does not have.
      if (needed === 'authenticated' && principal.kind === 'api_key' && variant.operation.template === '/v1/session') {
        return reply.status === 401 && isProblem(reply) ? [] : [`expected 401 for an API key, got ${seen}`];
      }
      if (reply.status >= 400) return [`expected success with only own data, got ${seen}`];
      return typeof reply.body?.replayed === 'number' && reply.body.replayed !== 0 ? [`replayed ${reply.body.replayed} items of another workspace`] : [];
    }
  }
}

/** Sends one variant as one principal and returns every problem with the response. */
export async function checkVariant(baseUrl: string, variant: Variant, principal: Principal, context: CheckContext): Promise<string[]> {
  const { operation } = variant;
  const reply = await send(baseUrl, principal, operation.method, variant.path, variant.body);
  const needed = contractPermission(operation.method, operation.template);
  const hasPermission = !needed.includes('.') || principal.permissions.includes(needed);
  const problems = [
    ...checkStatus(variant, principal, reply),
    ...(variant.expectation === 'denied' && hasPermission ? await compareWithMissingTwin(baseUrl, variant, principal, reply, context.other) : []),
    ...context.validator.validate(operation.method, operation.template, { status: reply.status, body: reply.body, headers: reply.headers }),
    ...findLeaks(reply, { path: variant.path, body: variant.body }, context.markers).map((marker) => `response contains ${marker} of the other workspace`),
  ];
  return problems.map((problem) => `${operation.method} ${variant.path} (${variant.label}) as ${principal.label}: ${problem}`);
}
