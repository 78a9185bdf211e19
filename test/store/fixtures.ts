import type { Connection, Store, Workspace } from '../../platform/src/store/index.js';

let sequence = 0;

/** Creates a workspace and one connection in it, with names unique within the test run. */
export async function createConnectionFixture(store: Store, connectorId = 'hubspot'): Promise<{ workspace: Workspace; connection: Connection }> {
  sequence += 1;
  const workspace = await store.workspaces.create({ name: `Workspace ${sequence}` });
  const connection = await store.connections.create({
    workspaceId: workspace.id,
    connectorId,
    name: `Connection ${sequence}`,
    authMethod: 'apiKey',
  });
  return { workspace, connection };
}
