import type { ConnectorManifest } from '@lumio/plugin-sdk';

import type { Connection, Store } from '../store/index.js';

/**
 * Gives a connection the manifest's default mapping for each object that has no active
 * version yet, so reconnecting never replaces a mapping an admin saved.
 */
export async function ensureDefaultMappings(store: Pick<Store, 'mappings'>, connection: Connection, manifest: ConnectorManifest): Promise<void> {
  for (const mapping of manifest.mappings ?? []) {
    if (await store.mappings.activeFor(connection.id, mapping.object)) continue;

    await store.mappings.createVersion({
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      object: mapping.object,
      canonicalObject: mapping.canonicalObject,
      definition: mapping,
      comment: 'Default mapping from the connector manifest',
      createdBy: 'system',
    });
  }
}
