import type { MiddlewareHandler } from 'hono';

import { LumioError } from '../../errors/index.js';
import { bodyTooLarge, MAX_JSON_BODY_BYTES, parseJsonObject } from '../body.js';
import { describeIssue, issueCode, type ValidationIssue } from '../i18n/index.js';
import type { SchemaObject } from './builders.js';
import type { OpenApiDocument } from './document.js';
import { OperationIndex } from './operation-index.js';
import { createSchemaCompiler, type ErrorObject, type ValidateFunction } from './schema-compiler.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface BodyValidator {
  validate: ValidateFunction;
  required: boolean;
  typesOnly: boolean;
}

export interface RequestValidatorOptions {
  /** Paths the validator leaves alone, such as provider deliveries whose raw bytes are signed. */
  skip?: (path: string) => boolean;
}

/**
 * Checks JSON request bodies against their operation's schema before the handler runs. Every
 * schema is compiled once, here. A body that breaks it is a 400 REQUEST_INVALID listing every
 * violation. A body that is not JSON is a 415, and one larger than 1 MiB a 413. Requests to
 * undocumented routes and operations without a JSON body pass untouched.
 */
export function validateRequestBodies(document: OpenApiDocument, options: RequestValidatorOptions = {}): MiddlewareHandler {
  const index = new OperationIndex(document.paths);
  const validators = compileBodyValidators(document, index);

  return async (c, next) => {
    if (!BODY_METHODS.has(c.req.method) || options.skip?.(c.req.path)) return next();
    const operation = index.find(c.req.method, c.req.path);
    const validator = operation ? validators.get(`${operation.method} ${operation.template}`) : undefined;
    if (!validator) return next();

    const body = await readBody(c.req.header('content-length'), c.req.header('content-type'), () => c.req.text());
    if (body === undefined && !validator.required) return next();

    const issues = findIssues(validator, body ?? {});
    if (issues.length > 0) {
      const first = issues[0] as ValidationIssue;
      throw new LumioError('REQUEST_INVALID', `The request body does not match the schema of ${operation?.method} ${operation?.template}: ${describeIssue(first, 'en')}`, {
        status: 400,
        fault: 'caller',
        details: { field: first.field, validationIssues: issues },
      });
    }
    await next();
  };
}

function compileBodyValidators(document: OpenApiDocument, index: OperationIndex): Map<string, BodyValidator> {
  const compiler = createSchemaCompiler(document.components.schemas);
  const validators = new Map<string, BodyValidator>();

  for (const { method, template, operation, bodyChecks } of index.list()) {
    const requestBody = operation.requestBody as { required?: boolean; content?: Record<string, { schema?: SchemaObject }> } | undefined;
    const schema = requestBody?.content?.['application/json']?.schema;
    if (!schema) continue;
    validators.set(`${method} ${template}`, { validate: compiler.compile(schema), required: requestBody?.required === true, typesOnly: bodyChecks === 'types' });
  }
  return validators;
}

/**
 * Reads and parses the body with the parser the handlers' `readJsonObject` uses, so both
 * reject the same bodies with the same codes. Returns undefined for an empty body. Hono
 * keeps the text, so the handler can read the body again.
 */
async function readBody(contentLength: string | undefined, contentType: string | undefined, readText: () => Promise<string>): Promise<Record<string, unknown> | undefined> {
  if (Number(contentLength) > MAX_JSON_BODY_BYTES) throw bodyTooLarge();
  return parseJsonObject(await readText(), contentType);
}

function findIssues(validator: BodyValidator, body: Record<string, unknown>): ValidationIssue[] {
  if (validator.validate(body)) return [];

  const errors = (validator.validate.errors ?? []).filter((error) => !validator.typesOnly || error.keyword === 'type');
  const issues = errors.map(toIssue);
  // allErrors can report the same keyword on the same value more than once, through allOf branches.
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.field} ${issue.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  // `required` and `additionalProperties` report the parent object; the issue names the field itself.
  let field = error.instancePath;
  if (error.keyword === 'required') field = `${field}/${escapePointer(String(params.missingProperty))}`;
  if (error.keyword === 'additionalProperties') field = `${field}/${escapePointer(String(params.additionalProperty))}`;
  return { field, code: issueCode(error.keyword), keyword: error.keyword, params };
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
