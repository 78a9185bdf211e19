import type { ConnectorManifest, FieldMapping, ObjectDefinition } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import { compileMapping, type CompiledMapping } from '../mapping/index.js';
import type { Connection, ConflictPolicy, StoredMapping, Store } from '../store/index.js';
import type { ResolveExternalIds } from './apply-reverse-mapping.js';
import { chooseOperations, type OperationChoice } from './batch-operations.js';
import { compileReverseMapping, type ReverseMapping } from './compile-reverse-mapping.js';
import { DEFAULT_CONFLICT_POLICY } from './conflict-policy.js';
import { resolveMatchKey, type MatchKey } from './match-key.js';

/** Everything write-back needs about one connection's object: where records go and how they are converted. */
export interface WriteTarget {
  connection: Connection;
  manifest: ConnectorManifest;
  /** Manifest object key, e.g. `contacts`. */
  sourceObject: string;
  definition: ObjectDefinition;
  /** Canonical object name, e.g. `contact`. */
  canonicalObject: string;
  /** The connection's active field mapping, provider to canonical. */
  forward: CompiledMapping;
  reverse: ReverseMapping;
  operations: OperationChoice;
  conflictPolicy: ConflictPolicy;
  /** Undefined when the canonical object has no match field or no rule writes it. */
  matchKey: MatchKey | undefined;
}

export interface WriteTargetDependencies {
  store: Store;
  connections: ConnectionService;
}

/**
 * Finds the object of a connection whose active mapping produces the canonical object.
 * Raises WRITEBACK_OBJECT_NOT_MAPPED (400, field `object`) when none does.
 */
export async function findWriteTarget(deps: WriteTargetDependencies, connection: Connection, canonicalObject: string): Promise<WriteTarget> {
  const manifest = deps.connections.requireConnector(connection.connectorId).manifest;
  for (const sourceObject of Object.keys(manifest.objects)) {
    const mapping = await deps.store.mappings.activeFor(connection.id, sourceObject);
    if (mapping && mapping.canonicalObject === canonicalObject) return buildWriteTarget(deps, connection, manifest, sourceObject, mapping);
  }

  throw new LumioError('WRITEBACK_OBJECT_NOT_MAPPED', `${manifest.name} has no active field mapping that produces ${canonicalObject} records for this connection, so there is no object to write them to.`, {
    status: 400,
    fault: 'caller',
    details: { field: 'object' },
  });
}

/** Loads the target of a known manifest object, as a queued write names it. */
export async function loadWriteTarget(deps: WriteTargetDependencies, connection: Connection, sourceObject: string): Promise<WriteTarget> {
  const manifest = deps.connections.requireConnector(connection.connectorId).manifest;
  const mapping = await deps.store.mappings.activeFor(connection.id, sourceObject);
  if (!mapping || !Object.hasOwn(manifest.objects, sourceObject)) {
    throw new LumioError('MAPPING_MISSING', `Connection ${connection.id} has no active field mapping for ${sourceObject}, so its records cannot be written back.`, { status: 409, fault: 'caller' });
  }
  return buildWriteTarget(deps, connection, manifest, sourceObject, mapping);
}

async function buildWriteTarget(deps: WriteTargetDependencies, connection: Connection, manifest: ConnectorManifest, sourceObject: string, mapping: StoredMapping): Promise<WriteTarget> {
  const definition = manifest.objects[sourceObject] as ObjectDefinition;
  const fieldMapping = mapping.definition as FieldMapping;
  const reverse = compileReverseMapping(fieldMapping);
  const settings = await deps.store.writebackSettings.get(connection.id);

  return {
    connection,
    manifest,
    sourceObject,
    definition,
    canonicalObject: mapping.canonicalObject,
    forward: compileMapping(fieldMapping),
    reverse,
    operations: chooseOperations(definition),
    conflictPolicy: settings?.conflictPolicy ?? DEFAULT_CONFLICT_POLICY,
    matchKey: resolveMatchKey(reverse, settings?.matchOn ?? {}),
  };
}

/** Resolves Lumio record ids to external ids among the connection's live records of one canonical object. */
export function externalIdResolver(store: Store, connectionId: string): ResolveExternalIds {
  return async (canonicalObject, recordIds) => {
    const found = new Map<string, string>();
    for (const id of recordIds) {
      const record = await store.records.get(id);
      if (record && record.connectionId === connectionId && record.object === canonicalObject && !record.deleted) found.set(id, record.externalId);
    }
    return found;
  };
}
