import { Hono } from 'hono';

import { listActions, runAction } from '../../actions/index.js';
import { readJsonObject, checkNames } from '../body.js';
import type { ApiEnv, ApiServices } from '../context.js';

/** `GET /v1/integrations/{id}/actions` and `POST /v1/integrations/{id}/actions/{name}`. */
export function integrationActionRoutes(services: ApiServices): Hono<ApiEnv> {
  const { connections, plugins, logger } = services;
  const app = new Hono<ApiEnv>();

  app.get('/:id/actions', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const connector = connections.requireConnector(connection.connectorId);
    return c.json({ connectionId: connection.id, actions: await listActions(connector, plugins) });
  });

  app.post('/:id/actions/:name', async (c) => {
    const connection = await connections.resolve(c.get('principal').workspaceId, c.req.param('id'));
    const body = await readJsonObject(c);
    checkNames(Object.keys(body), ['input'], 'body');

    const result = await runAction({ connections, sandbox: plugins, logger }, connection, c.req.param('name'), body.input ?? {});
    return c.json(result);
  });

  return app;
}
