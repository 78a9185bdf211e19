import { createRequire } from 'node:module';

import type { HttpMethod, OperationObject, PathsObject, SchemaObject } from './builders.js';
import { accessSchemas } from './components/access-schemas.js';
import { commonSchemas } from './components/common-schemas.js';
import { integrationSchemas } from './components/integration-schemas.js';
import { mappingSchemas } from './components/mapping-schemas.js';
import { operationsSchemas } from './components/operations-schemas.js';
import { recordSchemas } from './components/record-schemas.js';
import { problemResponses } from './components/responses.js';
import { securitySchemes } from './components/security.js';
import { webhookSchemas } from './components/webhook-schemas.js';
import { DOCUMENT_DESCRIPTION, TAGS } from './overview.js';
import { accessPaths } from './paths/access.js';
import { eventSubscriptionPaths } from './paths/event-subscriptions.js';
import { fieldMappingPaths } from './paths/field-mappings.js';
import { integrationWebhookPaths } from './paths/integration-webhooks.js';
import { integrationPaths } from './paths/integrations.js';
import { operationsPaths } from './paths/operations.js';
import { platformPaths } from './paths/platform.js';
import { recordPaths } from './paths/records.js';
import { syncPaths } from './paths/syncs.js';
import { permissionFor } from './permissions.js';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string; [key: string]: unknown };
  servers?: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  paths: PathsObject;
  components: { schemas: Record<string, SchemaObject>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  [key: string]: unknown;
}

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Operation extension naming the permission an operation needs. */
export const PERMISSION_EXTENSION = 'x-lumio-permission';

const PATH_GROUPS: PathsObject[] = [integrationPaths, syncPaths, integrationWebhookPaths, fieldMappingPaths, operationsPaths, recordPaths, eventSubscriptionPaths, accessPaths, platformPaths];
const SCHEMA_GROUPS: Record<string, SchemaObject>[] = [commonSchemas, integrationSchemas, recordSchemas, webhookSchemas, mappingSchemas, accessSchemas, operationsSchemas];

/** Builds the OpenAPI 3.1 document of the whole HTTP API. Each call returns a new object. */
export function buildOpenApiDocument(): OpenApiDocument {
  const paths = mergePaths(PATH_GROUPS);
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) applySecurity(method, path, operation);
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Lumio Integrations API',
      version: platformVersion(),
      description: DOCUMENT_DESCRIPTION,
    },
    tags: TAGS,
    paths,
    components: {
      schemas: Object.assign({}, ...SCHEMA_GROUPS.map((group) => structuredClone(group))) as Record<string, SchemaObject>,
      responses: problemResponses(),
      securitySchemes: structuredClone(securitySchemes),
    },
    // Operations without their own `security` are public; every other one sets it.
    security: [],
  };
}

function mergePaths(groups: PathsObject[]): PathsObject {
  const merged: PathsObject = {};
  for (const group of groups) {
    for (const [path, item] of Object.entries(structuredClone(group))) {
      const target = (merged[path] ??= {});
      for (const method of HTTP_METHODS) {
        if (!item[method]) continue;
        if (target[method]) throw new Error(`${method.toUpperCase()} ${path} is described twice in the OpenAPI paths.`);
        target[method] = item[method];
      }
    }
  }
  return merged;
}

/**
 * Sets who may call an operation. Operations built as public already carry `security: []`.
 * The others accept an API key or the studio session (with its CSRF token on methods that
 * change something), each holding the permission of the route; OpenAPI 3.1 lists roles of
 * non-OAuth schemes in the requirement's array.
 */
function applySecurity(method: HttpMethod, path: string, operation: OperationObject): void {
  if (Array.isArray(operation.security)) return;

  if (path === '/metrics') {
    operation.security = [{ apiKey: [] }];
    return;
  }

  const permission = permissionFor(method, path);
  const roles = permission ? [permission] : [];
  const session = method === 'get' || method === 'head' || method === 'options' ? { session: roles } : { session: roles, csrfToken: [] };
  operation.security = path === '/v1/session' ? [session] : [{ apiKey: roles }, session];
  if (permission) operation[PERMISSION_EXTENSION] = permission;
}

function platformVersion(): string {
  const manifest = createRequire(import.meta.url)('../../../package.json') as { version: string };
  return manifest.version;
}
