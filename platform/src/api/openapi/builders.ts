/**
 * Small constructors for the OpenAPI 3.1 document, so each path file reads as a list of
 * operations. Schemas are JSON Schema 2020-12, the dialect OpenAPI 3.1 uses.
 */

export type SchemaObject = Record<string, unknown>;
export type OperationObject = Record<string, unknown>;
export type PathItem = Partial<Record<HttpMethod, OperationObject>>;
export type PathsObject = Record<string, PathItem>;
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';

/**
 * How much of a request body the validator checks. `full` checks the whole schema. `types`
 * checks only JSON types, for endpoints that check required fields, allowed values and unknown
 * names themselves and respond with their own code and the closest valid name (FIELD_REQUIRED,
 * FIELD_INVALID, FIELD_UNKNOWN), which clients of those endpoints already rely on.
 */
export type BodyChecks = 'full' | 'types';

/** Operation extension that carries `BodyChecks`; absent means `full`. */
export const BODY_CHECKS_EXTENSION = 'x-lumio-body-checks';

export function schemaRef(name: string): SchemaObject {
  return { $ref: `#/components/schemas/${name}` };
}

export const nullableString: SchemaObject = { type: ['string', 'null'] };
export const nullableDateTime: SchemaObject = { type: ['string', 'null'], format: 'date-time' };
export const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
export const anyObject: SchemaObject = { type: 'object' };

/** Builds an object schema whose properties are all required except those in `optional`. */
export function objectOf(properties: Record<string, SchemaObject>, options: { optional?: string[]; description?: string } = {}): SchemaObject {
  const optional = options.optional ?? [];
  return {
    type: 'object',
    ...(options.description ? { description: options.description } : {}),
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}

export function arrayOf(items: SchemaObject, description?: string): SchemaObject {
  return { type: 'array', items, ...(description ? { description } : {}) };
}

/** Builds a JSON request body. */
export function jsonBody(schema: SchemaObject, options: { required?: boolean; description?: string } = {}): Record<string, unknown> {
  return {
    required: options.required ?? true,
    ...(options.description ? { description: options.description } : {}),
    content: { 'application/json': { schema } },
  };
}

/** Builds a JSON success response. */
export function jsonResponse(description: string, schema: SchemaObject): Record<string, unknown> {
  return { description, content: { 'application/json': { schema } } };
}

export const noContent = { description: 'Done; the response has no body.' };

const PROBLEM_RESPONSES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/** Problem responses (`application/problem+json`) for the given statuses. */
export function problems(...statuses: number[]): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of statuses) {
    const name = PROBLEM_RESPONSES[status];
    if (!name) throw new Error(`No problem response is declared for status ${status}; add it to PROBLEM_RESPONSES.`);
    responses[String(status)] = { $ref: `#/components/responses/${name}` };
  }
  return responses;
}

export function problemResponseNames(): Record<number, string> {
  return { ...PROBLEM_RESPONSES };
}

export interface OperationOptions {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: unknown[];
  requestBody?: Record<string, unknown>;
  /** Success responses by status. */
  responses: Record<string, unknown>;
  /** Problem statuses the operation may respond with, besides the 401, 403 and 500 of every authenticated call. */
  errors?: number[];
  /** `public` operations need no API key or session. */
  access?: 'authenticated' | 'public';
  bodyChecks?: BodyChecks;
}

/**
 * Builds an operation. Authenticated operations get their 401, 403 and 500 problems here and
 * their `security` from the permission table when the document is assembled.
 */
export function operation(options: OperationOptions): OperationObject {
  const access = options.access ?? 'authenticated';
  const errorStatuses = new Set(options.errors ?? []);
  if (access === 'authenticated') [401, 403, 500].forEach((status) => errorStatuses.add(status));
  else errorStatuses.add(500);
  if (options.requestBody) [400, 413, 415].forEach((status) => errorStatuses.add(status));

  return {
    operationId: options.operationId,
    summary: options.summary,
    ...(options.description ? { description: options.description } : {}),
    tags: options.tags,
    ...(options.parameters?.length ? { parameters: options.parameters } : {}),
    ...(options.requestBody ? { requestBody: options.requestBody } : {}),
    // Status keys are integer-like, so they enumerate in ascending order whatever the merge order.
    // A success response declared for a status replaces the problem response of that status.
    responses: { ...problems(...errorStatuses), ...options.responses },
    ...(access === 'public' ? { security: [] } : {}),
    ...(options.bodyChecks === 'types' ? { [BODY_CHECKS_EXTENSION]: 'types' } : {}),
  };
}

/** Builds a path parameter, which OpenAPI requires to be marked required. */
export function pathParameter(name: string, description: string, example?: string): Record<string, unknown> {
  return { name, in: 'path', required: true, description, schema: { type: 'string' }, ...(example ? { example } : {}) };
}

export function queryParameter(name: string, description: string, schema: SchemaObject = { type: 'string' }, required = false): Record<string, unknown> {
  return { name, in: 'query', required, description, schema };
}

/** `limit` and `cursor` of a cursor-paginated list. */
export function pageParameters(defaultLimit: number, maxLimit: number): Record<string, unknown>[] {
  return [
    queryParameter('limit', `Entries per page, from 1 to ${maxLimit}.`, { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit }),
    queryParameter('cursor', 'The `nextCursor` of the previous page; leave it out for the first page. Cursors are opaque.'),
  ];
}

export const nextCursor: SchemaObject = { type: ['string', 'null'], description: 'Cursor of the next page, or null on the last page.' };
