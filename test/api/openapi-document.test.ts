import { describe, expect, it } from 'vitest';

import { buildOpenApiDocument, compileJsonSchema, createSchemaCompiler, HTTP_METHODS, type OpenApiDocument } from '../../platform/src/api/openapi/index.js';
import { openApiStructureSchema } from './support/openapi-structure-schema.js';

const document: OpenApiDocument = buildOpenApiDocument();

function operations(): { method: string; path: string; operation: Record<string, any> }[] {
  const found: { method: string; path: string; operation: Record<string, any> }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) found.push({ method, path, operation });
    }
  }
  return found;
}

/** Collects every `$ref` string in the document with where it sits. */
function collectRefs(value: unknown, at: string, refs: { ref: string; at: string }[] = []): { ref: string; at: string }[] {
  if (Array.isArray(value)) value.forEach((item, index) => collectRefs(item, `${at}/${index}`, refs));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.push({ ref: item, at });
      else collectRefs(item, `${at}/${key}`, refs);
    }
  }
  return refs;
}

/** Resolves a local JSON pointer reference (RFC 6901) in the document, independently of the validator's own rewriting. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object' || !(segment in current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

describe('OpenAPI document', () => {
  it('follows the OpenAPI 3.1 structure', () => {
    const validate = compileJsonSchema(openApiStructureSchema, { strict: false });

    // The document is served as JSON, so it is checked after a JSON round trip.
    const valid = validate(JSON.parse(JSON.stringify(document)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('resolves every $ref', () => {
    const refs = collectRefs(document, '#');
    const unresolved = refs.filter(({ ref }) => resolvePointer(ref) === undefined).map(({ ref, at }) => `${ref} at ${at}`);

    expect(refs.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('uses unique operation ids', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);

    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(repeated).toEqual([]);
  });

  it('declares each path parameter once', () => {
    const mismatched: string[] = [];
    for (const { method, path, operation } of operations()) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = ((operation.parameters ?? []) as any[]).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
      if (JSON.stringify(inTemplate) !== JSON.stringify(declared)) mismatched.push(`${method.toUpperCase()} ${path}: template ${inTemplate.join(',')} declared ${declared.join(',')}`);
    }
    expect(mismatched).toEqual([]);
  });

  it('declares every tag and security scheme it uses', () => {
    const tags = new Set(document.tags.map((tag) => tag.name));
    const schemes = new Set(Object.keys(document.components.securitySchemes));
    const problems: string[] = [];

    for (const { method, path, operation } of operations()) {
      for (const tag of operation.tags ?? []) if (!tags.has(tag)) problems.push(`${method} ${path}: tag ${tag}`);
      for (const requirement of operation.security ?? []) for (const scheme of Object.keys(requirement)) if (!schemes.has(scheme)) problems.push(`${method} ${path}: scheme ${scheme}`);
      if (!Array.isArray(operation.security)) problems.push(`${method} ${path}: no security`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation a problem response', () => {
    const missing = operations().filter(({ operation }) => !Object.entries(operation.responses).some(([status, response]: [string, any]) => status.startsWith('5') && String(response.$ref).includes('/responses/')));
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);

    const problem = document.components.responses.BadRequest as any;
    expect(problem.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    expect(problem.headers['Content-Language']).toBeDefined();
  });

  it('compiles every schema in strict mode', () => {
    const compiler = createSchemaCompiler(document.components.schemas);
    const failures: string[] = [];
    for (const name of Object.keys(document.components.schemas)) {
      try {
        compiler.compile({ $ref: `#/components/schemas/${name}` });
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('requires permissions as the access rules say', () => {
    const permissionOf = (method: string, path: string) => (document.paths[path] as any)?.[method]?.['x-lumio-permission'];

    expect(permissionOf('get', '/v1/integrations')).toBe('integrations.read');
    expect(permissionOf('post', '/v1/integrations/{id}/connect')).toBe('integrations.connect');
    expect(permissionOf('post', '/v1/integrations/{id}/test')).toBe('integrations.read');
    expect(permissionOf('post', '/v1/integrations/{id}/webhooks/test')).toBe('integrations.write');
    expect(permissionOf('post', '/v1/webhooks')).toBe('webhooks.manage');
    expect(permissionOf('get', '/v1/audit-log')).toBe('api_keys.manage');
    expect((document.paths['/v1/openapi.json'] as any).get.security).toEqual([]);
    expect((document.paths['/v1/integrations/{id}/sync'] as any).post.security).toEqual([{ apiKey: ['integrations.write'] }, { session: ['integrations.write'], csrfToken: [] }]);
  });
});
