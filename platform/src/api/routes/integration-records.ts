import { Hono } from 'hono';

import { readProviderRecord } from '../../provider-reads/index.js';
import { checkNames } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';
import { parseBoolean } from '../query.js';

/** `GET /v1/integrations/{id}/objects/{object}/{externalId}`: one record read live from the provider. */
export function integrationRecordRoutes(services: ApiServices): Hono<ApiEnv> {
  const { connections, store, logger } = services;
  const app = new Hono<ApiEnv>();

  app.get('/:id/objects/:object/:externalId', async (c) => {
    checkNames(Object.keys(c.req.queries()), ['fresh'], 'query');
    const fresh = parseBoolean(c.req.query('fresh'), 'fresh');
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));

    const read = await readProviderRecord({ connections, store, logger }, connection, c.req.param('object'), c.req.param('externalId'), { fresh });
    return c.json(read);
  });

  return app;
}
