import type { ConnectorManifest } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../../connections/index.js';
import { LumioError } from '../../errors/index.js';
import { executeRequest, getPath, ProviderRequestError } from '../../runtime/index.js';
import type { Connection } from '../../store/index.js';

/**
 * Reads one record from the provider with the object's `get` operation. Returns null when
 * the provider returns 404, which means the record is gone.
 */
export async function fetchRecord(connections: ConnectionService, connection: Connection, manifest: ConnectorManifest, object: string, externalId: string): Promise<unknown> {
  const operation = manifest.objects[object]?.operations.get;
  if (!operation) {
    throw new LumioError('WEBHOOK_ROUTE_INVALID', `The route for ${object} fetches the record, but the manifest's ${object} object has no get operation.`, { status: 422, fault: 'connector' });
  }

  const { context } = await connections.open(connection);
  try {
    const response = await executeRequest(context, operation, { id: externalId }, { operation: 'get', object, recordId: externalId });
    return operation.recordSelector ? getPath(response.body, operation.recordSelector.path) : response.body;
  } catch (error) {
    if (error instanceof ProviderRequestError && error.providerStatus === 404) return null;
    throw error;
  }
}
