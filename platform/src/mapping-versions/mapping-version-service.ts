import type { FieldMapping } from '@lumio/plugin-sdk';

import type { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import { canonicalJson, type Connection, type Store } from '../store/index.js';
import { buildFieldCatalog, type FieldCatalog } from './field-catalog.js';
import { definitionTarget, loadMappedObject, requireActive, type MappedObject } from './mapped-object.js';
import { previewDraft, type MappingPreview } from './preview-draft.js';
import { requireValidDefinition } from './validate-definition.js';
import { decodeVersionCursor, encodeVersionCursor, versionView, type MappingVersionView } from './version-view.js';

export interface MappingVersionServiceOptions {
  store: Store;
  connections: ConnectionService;
  logger: Logger;
  /** Runs connector plugins for live previews; without it, only connectors without a plugin can be read live. */
  sandbox?: SandboxHost;
}

/** One object's entry in the list of a connection's mappings. */
export interface MappedObjectSummary {
  object: string;
  canonicalObject: string | null;
  /** The active version's number; null when the object has no mapping yet. */
  version: number | null;
  active: MappingVersionView | null;
  /** True when the active definition equals the connector manifest's default mapping. */
  isDefault: boolean;
}

/** Author and comment of a new version, and the version the change was based on. */
export interface SaveOptions {
  createdBy: string;
  comment?: string;
  /** When set, the save succeeds only while this is still the active version. */
  baseVersion?: number;
}

const RESTORED_COMMENT = 'Default mapping from the connector manifest';

/**
 * Versions of a connection's field mappings: every save, rollback and restore adds a new
 * active version, and earlier versions stay as history. A sync run or webhook event uses
 * the version active when it starts mapping.
 */
export class MappingVersionService {
  readonly #options: MappingVersionServiceOptions;

  constructor(options: MappingVersionServiceOptions) {
    this.#options = options;
  }

  async listObjects(connection: Connection): Promise<MappedObjectSummary[]> {
    const manifest = this.#manifestOf(connection);
    const summaries: MappedObjectSummary[] = [];
    for (const object of Object.keys(manifest.objects)) {
      const mapped = await loadMappedObject(this.#options.store, connection, manifest, object);
      summaries.push({
        object,
        canonicalObject: mapped.canonicalObject,
        version: mapped.active?.version ?? null,
        active: mapped.active ? versionView(mapped.active) : null,
        isDefault: mapped.active !== null && mapped.defaultMapping !== undefined && canonicalJson(mapped.active.definition) === canonicalJson(mapped.defaultMapping),
      });
    }
    return summaries;
  }

  async getActive(connection: Connection, object: string): Promise<MappingVersionView> {
    return versionView(requireActive(await this.#load(connection, object)));
  }

  /** Validates and saves a definition as the new active version. Raises MAPPING_INVALID (422) or MAPPING_VERSION_CONFLICT (409). */
  async save(connection: Connection, object: string, definition: unknown, options: SaveOptions): Promise<MappingVersionView> {
    const mapped = await this.#load(connection, object);
    return this.#createVersion(mapped, completeDefinition(definition, mapped), options);
  }

  async listVersions(connection: Connection, object: string, page: { limit: number; cursor?: string }): Promise<{ versions: MappingVersionView[]; nextCursor: string | null }> {
    const mapped = await this.#load(connection, object);
    const beforeVersion = page.cursor === undefined ? undefined : decodeVersionCursor(page.cursor);

    // Reading one version past the limit shows whether another page follows.
    const rows = await this.#options.store.mappings.listVersions(connection.id, mapped.object, { limit: page.limit + 1, ...(beforeVersion === undefined ? {} : { beforeVersion }) });
    const versions = rows.slice(0, page.limit).map(versionView);
    const last = versions.at(-1);
    return { versions, nextCursor: rows.length > page.limit && last ? encodeVersionCursor(last.version) : null };
  }

  async getVersion(connection: Connection, object: string, version: number): Promise<MappingVersionView> {
    const mapped = await this.#load(connection, object);
    return versionView(await this.#requireVersion(mapped, version));
  }

  /** Saves a copy of an earlier version's definition as the new active version; history is kept as it was. */
  async rollback(connection: Connection, object: string, version: number, options: SaveOptions): Promise<MappingVersionView> {
    const mapped = await this.#load(connection, object);
    const earlier = await this.#requireVersion(mapped, version);
    return this.#createVersion(mapped, earlier.definition, { ...options, comment: options.comment ?? `Rollback to version ${version}` });
  }

  /** Saves the connector manifest's default mapping as the new active version. */
  async restoreDefault(connection: Connection, object: string, options: SaveOptions): Promise<MappingVersionView> {
    const mapped = await this.#load(connection, object);
    if (!mapped.defaultMapping) {
      throw new LumioError('MAPPING_DEFAULT_NOT_FOUND', `The ${mapped.manifest.name} connector declares no default mapping for ${object}, so there is nothing to restore.`, {
        status: 404,
        fault: 'caller',
      });
    }
    return this.#createVersion(mapped, mapped.defaultMapping, { ...options, comment: options.comment ?? RESTORED_COMMENT });
  }

  /** Maps sample records with the active mapping and the draft; the draft must be valid. */
  async preview(connection: Connection, object: string, definition: unknown, limit: number): Promise<MappingPreview> {
    const mapped = await this.#load(connection, object);
    const draft = requireValidDefinition(completeDefinition(definition, mapped), definitionTarget(mapped));
    const { store, connections, sandbox } = this.#options;
    return previewDraft({ store, connections, ...(sandbox ? { sandbox } : {}) }, mapped, draft, limit);
  }

  async catalog(connection: Connection, object: string): Promise<FieldCatalog> {
    return buildFieldCatalog(this.#options.store, await this.#load(connection, object));
  }

  async #createVersion(mapped: MappedObject, definition: unknown, options: SaveOptions): Promise<MappingVersionView> {
    const { store, logger } = this.#options;
    const valid: FieldMapping = requireValidDefinition(definition, definitionTarget(mapped));

    const input = {
      workspaceId: mapped.connection.workspaceId,
      connectionId: mapped.connection.id,
      object: mapped.object,
      canonicalObject: valid.canonicalObject,
      definition: valid,
      comment: options.comment ?? null,
      createdBy: options.createdBy,
    };
    const saved = options.baseVersion === undefined ? await store.mappings.createVersion(input) : await store.mappings.createVersionIfActive(input, options.baseVersion);

    logger.info({ workspaceId: saved.workspaceId, connectionId: saved.connectionId, object: saved.object, version: saved.version, createdBy: saved.createdBy }, 'field mapping version saved');
    return versionView(saved);
  }

  async #requireVersion(mapped: MappedObject, version: number) {
    const found = await this.#options.store.mappings.getVersion(mapped.connection.id, mapped.object, version);
    if (found) return found;
    throw new LumioError('MAPPING_VERSION_NOT_FOUND', `The field mapping of ${mapped.object} has no version ${version}; GET .../field-mappings/${mapped.object}/versions lists them.`, {
      status: 404,
      fault: 'caller',
      details: { field: 'version' },
    });
  }

  #load(connection: Connection, object: string): Promise<MappedObject> {
    return loadMappedObject(this.#options.store, connection, this.#manifestOf(connection), object);
  }

  #manifestOf(connection: Connection) {
    return this.#options.connections.requireConnector(connection.connectorId).manifest;
  }
}

/**
 * Fills in `object` and `canonicalObject` when a definition leaves them out, so a client
 * may send only `fields`. Values that are present are kept and validated as sent.
 */
function completeDefinition(definition: unknown, mapped: MappedObject): unknown {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) return definition;
  // Spread defines own properties, so a "__proto__" key in the JSON stays a plain key that validation rejects.
  const defaults = mapped.canonicalObject === null ? { object: mapped.object } : { object: mapped.object, canonicalObject: mapped.canonicalObject };
  return { ...defaults, ...definition };
}
