import { buildOpenApiDocument, createSchemaCompiler, OperationIndex, type HttpMethod, type OpenApiDocument, type SchemaCompiler, type SchemaObject } from '../../platform/src/api/openapi/index.js';

/** A response as the test harness returns it (`test.call`) or as read from a fetch. */
export interface ResponseToCheck {
  status: number;
  body: unknown;
  /** The response headers; only Content-Type is read. */
  headers?: Headers | Record<string, string>;
}

export interface ResponseValidator {
  /** Returns every way the response breaks the document; empty when it conforms. */
  validate(method: string, path: string, response: ResponseToCheck): string[];
  /** Throws an error listing every way the response breaks the document. */
  assertValid(method: string, path: string, response: ResponseToCheck): void;
}

/**
 * Checks HTTP responses against the OpenAPI document: the operation (by method and path
 * template, such as `/v1/integrations/{id}`, or a concrete path), the declared status, the
 * media type and the body schema. Other suites can call it on any response they hold.
 */
export function createResponseValidator(document: OpenApiDocument = buildOpenApiDocument()): ResponseValidator {
  const compiler = createSchemaCompiler(document.components.schemas);
  const index = new OperationIndex(document.paths);
  const compiled = new Map<string, ReturnType<SchemaCompiler['compile']>>();

  const validate = (method: string, path: string, response: ResponseToCheck): string[] => {
    const verb = method.toLowerCase();
    const template = templateOf(document, index, verb, path);
    if (!template) return [`${method.toUpperCase()} ${path} is not in the OpenAPI document.`];
    const operation = document.paths[template]?.[verb as HttpMethod] as Record<string, unknown>;

    const responses = operation.responses as Record<string, Record<string, unknown>>;
    const statusKey = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((key) => responses[key] !== undefined);
    if (!statusKey) return [`${method.toUpperCase()} ${template} does not declare status ${response.status}; it declares ${Object.keys(responses).join(', ')}.`];
    const declared = resolveResponse(document, responses[statusKey] as Record<string, unknown>);

    const content = declared.content as Record<string, { schema?: SchemaObject }> | undefined;
    if (!content) return response.body === null || response.body === undefined || response.body === '' ? [] : [`${method.toUpperCase()} ${template} ${response.status} declares no body, but one came.`];

    const mediaType = contentTypeOf(response.headers);
    const mediaKey = mediaType ? Object.keys(content).find((key) => key === mediaType || key === '*/*' || (key.endsWith('/*') && mediaType.startsWith(key.slice(0, -1)))) : Object.keys(content)[0];
    if (!mediaKey) return [`${method.toUpperCase()} ${template} ${response.status} declares ${Object.keys(content).join(', ')}, but the response is ${mediaType}.`];

    const schema = content[mediaKey]?.schema;
    if (!schema || !mediaKey.includes('json')) return [];
    const key = `${verb} ${template} ${statusKey} ${mediaKey}`;
    let check = compiled.get(key);
    if (!check) {
      check = compiler.compile(schema);
      compiled.set(key, check);
    }
    if (check(response.body)) return [];
    return (check.errors ?? []).map((error) => `${method.toUpperCase()} ${template} ${response.status}: body${error.instancePath} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
  };

  return {
    validate,
    assertValid(method, path, response) {
      const problems = validate(method, path, response);
      if (problems.length > 0) throw new Error(`The response breaks the OpenAPI document:\n${problems.join('\n')}\nBody: ${JSON.stringify(response.body).slice(0, 2000)}`);
    },
  };
}

function templateOf(document: OpenApiDocument, index: OperationIndex, method: string, path: string): string | undefined {
  if (document.paths[path]?.[method as HttpMethod]) return path;
  return index.find(method, path.split('?')[0] ?? path)?.template;
}

function resolveResponse(document: OpenApiDocument, response: Record<string, unknown>): Record<string, unknown> {
  if (typeof response.$ref !== 'string') return response;
  const name = response.$ref.split('/').at(-1) ?? '';
  return document.components.responses[name] as Record<string, unknown>;
}

function contentTypeOf(headers: ResponseToCheck['headers']): string | undefined {
  if (!headers) return undefined;
  const value = headers instanceof Headers ? headers.get('content-type') : Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return value?.split(';')[0]?.trim().toLowerCase() || undefined;
}
