import { Hono, type Context } from 'hono';

import { LumioError } from '../../errors/index.js';
import { MappingVersionService, type SaveOptions } from '../../mapping-versions/index.js';
import { checkNames, optionalString, readJsonObject } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const DEFAULT_PREVIEW_SIZE = 20;
const MAX_PREVIEW_SIZE = 100;
/** Maximum length of a version comment, in characters. */
const MAX_COMMENT_LENGTH = 1_000;

/**
 * Versioned field mappings of one connection, under `/v1/integrations/{id}/field-mappings`:
 * the active version per object, history, rollback, restoring the manifest's default, a
 * preview of a draft on sample records, and the field catalogue of the mapping canvas.
 */
export function fieldMappingRoutes(services: ApiServices): Hono<ApiEnv> {
  const { connections } = services;
  const mappings = new MappingVersionService({ store: services.store, connections, logger: services.logger, sandbox: services.plugins });
  const app = new Hono<ApiEnv>();

  const resolve = (c: Context<ApiEnv>) => connections.resolve(c.get('principal').workspaceId, c.req.param('id') ?? '');
  const objectOf = (c: Context<ApiEnv>) => c.req.param('object') ?? '';

  app.get('/:id/field-mappings', async (c) => {
    const connection = await resolve(c);
    return c.json({ integration: connection.connectorId, connectionId: connection.id, objects: await mappings.listObjects(connection) });
  });

  app.post('/:id/field-mappings/preview', async (c) => {
    const connection = await resolve(c);
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['object', 'definition', 'limit'], 'body');
    const object = requireString(body, 'object', 'the object to preview, such as "contacts"');
    const definition = requireDefinition(body);
    const limit = optionalInteger(body.limit, 'limit', 1, MAX_PREVIEW_SIZE) ?? DEFAULT_PREVIEW_SIZE;

    return c.json(await mappings.preview(connection, object, definition, limit));
  });

  app.get('/:id/field-mappings/:object', async (c) => {
    const connection = await resolve(c);
    return c.json(await mappings.getActive(connection, objectOf(c)));
  });

  app.put('/:id/field-mappings/:object', async (c) => {
    const connection = await resolve(c);
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['definition', 'comment', 'baseVersion'], 'body');
    const definition = requireDefinition(body);

    return c.json(await mappings.save(connection, objectOf(c), definition, saveOptions(c, body)), 201);
  });

  app.get('/:id/field-mappings/:object/versions', async (c) => {
    const connection = await resolve(c);
    checkNames(Object.keys(c.req.queries()), ['limit', 'cursor'], 'query');
    const limit = optionalInteger(c.req.query('limit'), 'limit', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
    const cursor = c.req.query('cursor');

    return c.json(await mappings.listVersions(connection, objectOf(c), { limit, ...(cursor ? { cursor } : {}) }));
  });

  app.get('/:id/field-mappings/:object/versions/:version', async (c) => {
    const connection = await resolve(c);
    const version = optionalInteger(c.req.param('version'), 'version', 1, Number.MAX_SAFE_INTEGER) as number;
    return c.json(await mappings.getVersion(connection, objectOf(c), version));
  });

  app.post('/:id/field-mappings/:object/rollback', async (c) => {
    const connection = await resolve(c);
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['version', 'comment'], 'body');
    const version = optionalInteger(body.version, 'version', 1, Number.MAX_SAFE_INTEGER);
    if (version === undefined) throw fieldRequired('version', 'the number of the version to copy, such as 2');

    return c.json(await mappings.rollback(connection, objectOf(c), version, saveOptions(c, body)), 201);
  });

  app.post('/:id/field-mappings/:object/restore-default', async (c) => {
    const connection = await resolve(c);
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['comment'], 'body');

    return c.json(await mappings.restoreDefault(connection, objectOf(c), saveOptions(c, body)), 201);
  });

  app.get('/:id/field-mappings/:object/catalog', async (c) => {
    const connection = await resolve(c);
    return c.json(await mappings.catalog(connection, objectOf(c)));
  });

  return app;
}

function saveOptions(c: Context<ApiEnv>, body: Record<string, unknown>): SaveOptions {
  const comment = optionalString(body, 'comment');
  if (comment !== undefined && comment.length > MAX_COMMENT_LENGTH) {
    throw new LumioError('FIELD_INVALID', `comment is ${comment.length} characters long; shorten it to at most ${MAX_COMMENT_LENGTH}.`, { status: 400, fault: 'caller', details: { field: 'comment' } });
  }
  const baseVersion = optionalInteger(body.baseVersion, 'baseVersion', 0, Number.MAX_SAFE_INTEGER);

  return { createdBy: c.get('principal').actor, ...(comment === undefined ? {} : { comment }), ...(baseVersion === undefined ? {} : { baseVersion }) };
}

function requireDefinition(body: Record<string, unknown>): unknown {
  if (body.definition === undefined || body.definition === null) {
    throw fieldRequired('definition', 'the field mapping, such as {"fields": [{"target": "email", "source": "properties.email"}]}');
  }
  return body.definition;
}

function requireString(body: Record<string, unknown>, field: string, description: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw fieldRequired(field, description);
  return value;
}

/** Reads a whole number from a JSON body value or a URL text; undefined when absent. */
function optionalInteger(raw: unknown, field: string, minimum: number, maximum: number): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${minimum}` : `a whole number from ${minimum} to ${maximum}`;
    throw new LumioError('FIELD_INVALID', `${field} must be ${range}, got ${JSON.stringify(raw)}.`, { status: 400, fault: 'caller', details: { field } });
  }
  return value;
}

function fieldRequired(field: string, description: string): LumioError {
  return new LumioError('FIELD_REQUIRED', `${field} is required: ${description}.`, { status: 400, fault: 'caller', details: { field } });
}
