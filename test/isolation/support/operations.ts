import type { OpenApiDocument } from '../../../platform/src/api/openapi/index.js';
import { defaultMapping } from '../../field-mappings/support.js';
import type { Tenant } from './tenant.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** One operation of the OpenAPI document the platform serves. */
export interface ApiOperation {
  /** Upper case. */
  method: string;
  template: string;
  /** `METHOD template`, as test names show it. */
  name: string;
  /** The permission the document's `security` requires of an API key, or null when it requires none. */
  documentedPermission: string | null;
  /** True when `security` is empty, so no principal is involved. */
  isPublic: boolean;
  pathParameters: string[];
  queryParameters: { name: string; required: boolean }[];
  /** Whether the document declares a request body, and whether it is required. */
  body: 'none' | 'optional' | 'required';
}

/** Lists every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): ApiOperation[] {
  const operations: ApiOperation[] = [];
  const parameters = (document.components as Record<string, any>).parameters ?? {};
  const resolve = (parameter: any) => (typeof parameter.$ref === 'string' ? parameters[parameter.$ref.split('/').at(-1)] : parameter);

  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, any>)[method];
      if (!operation) continue;

      const declared = [...((item as any).parameters ?? []), ...(operation.parameters ?? [])].map(resolve);
      const security: Record<string, string[]>[] = operation.security ?? [];
      const scopes = security.find((requirement) => requirement.apiKey)?.apiKey ?? [];
      let body: ApiOperation['body'] = 'none';
      if (operation.requestBody) body = operation.requestBody.required ? 'required' : 'optional';

      operations.push({
        method: method.toUpperCase(),
        template,
        name: `${method.toUpperCase()} ${template}`,
        documentedPermission: scopes[0] ?? null,
        isPublic: security.length === 0,
        pathParameters: [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''),
        queryParameters: declared.filter((parameter) => parameter.in === 'query').map((parameter) => ({ name: parameter.name, required: parameter.required === true })),
        body,
      });
    }
  }
  return operations;
}

/**
 * Returns the permission a route needs by the access contract, written here independently of
 * the platform's permission table: `public` for the routes without authentication, `authenticated`
 * for the session routes, `outside` for routes outside `/v1` that the table does not cover.
 */
export function contractPermission(method: string, template: string): string {
  const verb = method === 'HEAD' ? 'GET' : method;
  if (!template.startsWith('/v1/')) return template === '/metrics' ? 'authenticated' : 'outside';
  if (template === '/v1/openapi.json' || template.startsWith('/v1/docs') || template === '/v1/oauth/callback') return 'public';
  if (template === '/v1/session') return verb === 'POST' ? 'public' : 'authenticated';

  if (template.startsWith('/v1/integrations') || template.startsWith('/v1/records')) {
    if (verb === 'GET') return 'integrations.read';
    if (verb === 'POST' && template.endsWith('/connect')) return 'integrations.connect';
    if (verb === 'POST' && template.endsWith('/disconnect')) return 'integrations.disconnect';
    if (verb === 'DELETE') return 'integrations.delete';
    if (verb === 'POST' && /^\/v1\/integrations\/\{id\}\/(sync\/preview|field-mappings\/preview|test)$/.test(template)) return 'integrations.read';
    return 'integrations.write';
  }
  if (template.startsWith('/v1/webhooks')) return verb === 'GET' ? 'integrations.read' : 'webhooks.manage';
  if (template.startsWith('/v1/api-keys') || template.startsWith('/v1/users')) return 'api_keys.manage';
  if (template.startsWith('/v1/audit-log') && verb === 'GET') return 'api_keys.manage';
  return 'denied';
}

/**
 * Parameters that name one resource of a workspace. `object`, `version` and `name` are the same
 * words in every workspace, and `externalId` is the provider's id, which only the connection scopes.
 */
export const ID_PARAMETERS = ['id', 'eventId', 'deliveryId', 'keyId', 'userId'];

/** Returns the value of a path parameter that names `tenant`'s resource, by the route it appears in. */
export function pathValue(template: string, parameter: string, tenant: Tenant): string {
  switch (parameter) {
    case 'id':
      if (template.startsWith('/v1/integrations/')) return tenant.connectionId;
      if (template.startsWith('/v1/webhooks/')) return tenant.subscriptionId;
      if (template.startsWith('/v1/records/writes/')) return tenant.writeId;
      break;
    case 'eventId':
      return tenant.webhookEventIds[0] ?? '';
    case 'deliveryId':
      return tenant.deliveryIds[0] ?? '';
    case 'keyId':
      return tenant.targetKeyId;
    case 'userId':
      return tenant.targetUserId;
    case 'object':
      return tenant.mappingObject;
    case 'version':
      return String(tenant.mappingVersion);
    case 'name':
      return 'create-note';
    case 'externalId':
      return tenant.recordExternalIds[0] ?? '';
  }
  throw new Error(`No value is known for the path parameter {${parameter}} of ${template}; add one to pathValue.`);
}

/** Fills a template. `owner(parameter)` picks the tenant whose resource each parameter names. */
export function fillPath(template: string, owner: (parameter: string) => Tenant): string {
  return template.replace(/\{(\w+)\}/g, (_match, parameter: string) => encodeURIComponent(pathValue(template, parameter, owner(parameter))));
}

/** Query parameters that name a resource, and what each names. */
export const ID_QUERY_PARAMETERS: Record<string, (tenant: Tenant) => string> = {
  run: (tenant) => tenant.runId,
  integration: (tenant) => tenant.connectionId,
  batch: (tenant) => tenant.batchId,
  resource: (tenant) => tenant.connectionId,
};

/** Values of the required query parameters that name no resource. */
const REQUIRED_QUERY_VALUES: Record<string, string> = { object: 'contact' };

/** Builds the query string with every required parameter, ids taken from `tenant`, plus `extra`. */
export function requiredQuery(operation: ApiOperation, tenant: Tenant, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const parameter of operation.queryParameters.filter((candidate) => candidate.required)) {
    const value = ID_QUERY_PARAMETERS[parameter.name]?.(tenant) ?? REQUIRED_QUERY_VALUES[parameter.name];
    if (value === undefined) throw new Error(`No value is known for the required query parameter ${parameter.name} of ${operation.name}; add one.`);
    query.set(parameter.name, value);
  }
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * A valid request body for each operation that takes one, naming `tenant`'s resources, so the
 * request gets past the body validator to the handler that resolves the resource.
 */
export function sampleBody(operation: ApiOperation, tenant: Tenant): unknown {
  const contact = { firstName: 'Intruder', lastName: 'Sample', fullName: 'Intruder Sample', email: 'intruder.sample@example.com' };
  const samples: Record<string, unknown> = {
    'POST /v1/integrations/{id}/connect': { credentials: { accessToken: 'sample-token-never-valid' }, config: { baseUrl: tenant.simulator.url, rateLimits: 'providerOnly' }, test: false },
    'POST /v1/integrations/{id}/sync': { type: 'contacts', mode: 'full' },
    'PUT /v1/integrations/{id}/writeback': { conflictPolicy: 'lumio_wins' },
    'PUT /v1/integrations/{id}/sync/schedules': { schedules: [{ object: 'contacts', mode: 'incremental', every: '15m' }] },
    'POST /v1/integrations/{id}/sync/preview': { type: 'contacts', mode: 'full' },
    'PUT /v1/integrations/{id}/webhooks/secrets': { secrets: ['sample-webhook-secret'] },
    'POST /v1/integrations/{id}/webhooks/replay': { eventIds: tenant.webhookEventIds },
    'POST /v1/integrations/{id}/webhooks/test': {},
    'POST /v1/integrations/{id}/field-mappings/preview': { object: 'contacts', definition: defaultMapping('contacts'), limit: 1 },
    'PUT /v1/integrations/{id}/field-mappings/{object}': { definition: defaultMapping('contacts'), comment: 'Sample change' },
    'POST /v1/integrations/{id}/field-mappings/{object}/rollback': { version: 1 },
    'POST /v1/integrations/{id}/field-mappings/{object}/restore-default': {},
    'POST /v1/integrations/{id}/debug': { enabled: true, duration: 60 },
    'POST /v1/integrations/{id}/actions/{name}': { input: {} },
    'POST /v1/records': { integration: tenant.connectionId, object: 'contact', data: contact },
    'POST /v1/records/batch': { integration: tenant.connectionId, object: 'contact', records: [{ data: contact }] },
    'POST /v1/webhooks': { url: 'http://127.0.0.1:9/sample', events: ['*'] },
    'POST /v1/webhooks/{id}/deliveries/replay': { deliveryIds: tenant.deliveryIds.slice(0, 5) },
    'POST /v1/api-keys': { name: 'sample key', scopes: ['integrations.read'] },
    'POST /v1/users': { email: 'sample.user@example.com', name: 'Sample', role: 'user', password: 'a long enough sample password' },
  };

  if (operation.body === 'none') return undefined;
  const sample = samples[operation.name];
  if (sample === undefined && operation.body === 'required') throw new Error(`${operation.name} requires a body and the suite has no sample; add one to sampleBody.`);
  return sample;
}
