import type { FieldMapping } from '../generated/field-mapping.js';
import type { ConnectorFolder } from './connector-folder.js';
import type {
  LoadedPlugin,
  PlatformConnectorContext,
  PlatformHttpClient,
  PlatformLogger,
  PlatformLookup,
  PlatformMappedRecord,
  PlatformRuntime,
  PlatformSandbox,
  PluginStateStore,
  SandboxSettings,
} from './platform-runtime.js';
import type { SnapshotRecord, StreamMode } from './recording-format.js';

/** Connection id the commands run under; it keys rate budgets, circuit breakers and plugin state. */
const LOCAL_CONNECTION_ID = 'local';

export interface StreamSessionOptions {
  platform: PlatformRuntime;
  folder: ConnectorFolder;
  /** The HTTP client requests go through: live, recording or replaying. */
  http: PlatformHttpClient;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  /** Auth method type; default the first method whose credential fields are all given. */
  authMethod?: string;
  logger: PlatformLogger;
}

/** One page of a stream, mapped as a sync would map it. */
export interface MappedPage {
  /** The records after any plugin transform, before mapping. */
  raw: unknown[];
  records: SnapshotRecord[];
  phase: string;
  /** Stream state after this page. */
  state: object;
}

interface ObjectMapping {
  canonicalObject: string;
  compiled: object;
}

/**
 * Runs a connector's streams through the platform's runtime the way a sync does. Requests
 * get the connection's auth and the shared request services (rate limits, retry with
 * Retry-After, circuit breaker), kept in this process. Pages go through the plugin in the
 * sandbox and the manifest's default mapping. Plugin state starts empty in every session.
 */
export class StreamSession {
  readonly #mappings = new Map<string, ObjectMapping | null>();
  /** Canonical records mapped in this session, by canonical object and external id, for `lookup` transforms. */
  readonly #mapped = new Map<string, Map<string, { id: string; data: Record<string, unknown> }>>();

  private constructor(
    private readonly options: StreamSessionOptions,
    private readonly context: PlatformConnectorContext,
    private readonly services: { close(): Promise<void> },
    private readonly plugin: LoadedPlugin | undefined,
    private readonly sandbox: PlatformSandbox | undefined,
  ) {}

  /** Checks the credentials against the manifest's auth methods, bundles the plugin and starts the services. */
  static async open(options: StreamSessionOptions): Promise<StreamSession> {
    const { platform, folder, logger } = options;
    const { manifest } = folder;
    const authMethod = platform.selectAuthMethod(manifest, options.credentials, options.authMethod);
    const plugin = manifest.plugin ? await platform.loadPluginBundle(folder.directory, manifest.plugin) : undefined;

    const services = await platform.startSharedServices({ redisUrl: undefined, logger });
    let sandbox: PlatformSandbox | undefined;
    try {
      sandbox = plugin ? new platform.SandboxHost({ settings: readSandboxSettings(platform), logger, pluginState: createMemoryPluginState() }) : undefined;
    } catch (error) {
      await services.close();
      throw error;
    }

    const context: PlatformConnectorContext = {
      manifest,
      config: options.config,
      credentials: options.credentials,
      authMethod,
      http: options.http,
      logger,
      connectionId: LOCAL_CONNECTION_ID,
      services: services.pipeline,
      ...(typeof options.config.baseUrl === 'string' ? { baseUrl: options.config.baseUrl } : {}),
    };
    return new StreamSession(options, context, services, plugin, sandbox);
  }

  get manifest() {
    return this.options.folder.manifest;
  }

  /** Type of the auth method the session's requests use, e.g. "apiKey". */
  get authMethodType(): string {
    return this.context.authMethod.type;
  }

  /** SHA-256 of the bundled plugin, when the connector has one. */
  /** Reads a dot path from a record as the platform's runtime reads cursor fields. */
  readRecordPath(record: unknown, path: string): unknown {
    return this.options.platform.getPath(record, path);
  }

  get pluginHash(): string | undefined {
    return this.plugin?.sha256;
  }

  /** Lists the objects a stream can read: those with a `list` request, and every object when the plugin defines readStream. */
  async listReadableObjects(): Promise<string[]> {
    const objects = Object.keys(this.manifest.objects);
    if (await this.#pluginReads()) return objects;
    return objects.filter((object) => this.manifest.objects[object]?.operations.list !== undefined);
  }

  /** Tests whether an incremental run of the object differs from a full one: it declares `incremental` or the plugin reads it. */
  async supportsIncremental(object: string): Promise<boolean> {
    const definition = this.manifest.objects[object];
    if (!definition) return false;
    if (definition.incremental !== undefined) return true;
    return definition.operations.list === undefined && (await this.#pluginReads());
  }

  /** Tests whether the plugin's readStream hook reads the object, as for an object with no `list` request. */
  async pluginReadsObject(object: string): Promise<boolean> {
    if (this.manifest.objects[object]?.operations.list !== undefined) return false;
    return this.#pluginReads();
  }

  /** Reads one stream page by page and maps each page with the object's default mapping, when it has one. */
  async *read(object: string, mode: StreamMode, state: object | null): AsyncGenerator<MappedPage> {
    const { platform } = this.options;
    const mapping = this.#findMapping(object);
    const connector = { id: this.manifest.id, ...(this.plugin ? { plugin: this.plugin } : {}) };
    const pages = platform.readObjectPages({ sandbox: this.sandbox, connector, context: this.context, stream: { object, mode, state } });

    for await (const page of pages) {
      const mapped = mapping ? await platform.applyMapping(mapping.compiled, page.records, { lookup: this.#lookup }) : undefined;
      const records = page.records.map((raw, index) => this.#toSnapshotRecord(object, raw, page.deleted, mapping, mapped?.[index]));
      yield { raw: page.records, records, phase: page.phase, state: page.state };
    }
  }

  /** Stops the sandbox worker, the services and the HTTP client. */
  async close(): Promise<void> {
    await this.sandbox?.close();
    await this.services.close();
    await this.context.http.close();
  }

  async #pluginReads(): Promise<boolean> {
    if (!this.plugin || !this.sandbox) return false;
    const { hooks } = await this.sandbox.describe({ id: this.manifest.id, plugin: this.plugin });
    return hooks.includes('readStream');
  }

  #findMapping(object: string): ObjectMapping | null {
    let mapping = this.#mappings.get(object);
    if (mapping === undefined) {
      const definition = this.manifest.mappings?.find((candidate) => candidate.object === object);
      mapping = definition ? { canonicalObject: definition.canonicalObject, compiled: this.options.platform.compileMapping(definition as FieldMapping) } : null;
      this.#mappings.set(object, mapping);
    }
    return mapping;
  }

  #toSnapshotRecord(object: string, raw: unknown, deleted: boolean, mapping: ObjectMapping | null, mapped: PlatformMappedRecord | undefined): SnapshotRecord {
    const externalId = this.options.platform.getRecordId(this.manifest, object, raw);
    if (!mapping || !mapped) return { externalId, deleted, data: raw };

    let index = this.#mapped.get(mapping.canonicalObject);
    if (!index) this.#mapped.set(mapping.canonicalObject, (index = new Map()));
    index.set(externalId, { id: `local-${mapping.canonicalObject}-${externalId}`, data: mapped.data });
    return { externalId, deleted, data: mapped.data, ...(mapped.errors.length > 0 ? { errors: mapped.errors } : {}) };
  }

  // NOTE: a lookup finds only records mapped earlier in this session, because the commands
  // have no record store. A sync looks in the connection's stored records instead.
  readonly #lookup: PlatformLookup = async (canonicalObject, externalIds) => {
    const index = this.#mapped.get(canonicalObject);
    const found = new Map<string, { id: string; data: Record<string, unknown> }>();
    for (const externalId of externalIds) {
      const match = index?.get(externalId);
      if (match) found.set(externalId, match);
    }
    return found;
  };
}

/** Reads the sandbox limits from the LUMIO_SANDBOX_* variables, as the platform does. */
function readSandboxSettings(platform: PlatformRuntime): SandboxSettings {
  const variables = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('LUMIO_SANDBOX_')));
  return platform.loadConfig({ ...variables, LUMIO_DEMO: 'false' }, process.cwd()).sandbox;
}

function createMemoryPluginState(): PluginStateStore {
  const values = new Map<string, { value: unknown; updatedAt: string }>();
  const entryKey = (connectionId: string, key: string) => `${connectionId}\u0000${key}`;
  return {
    async get(connectionId, key) {
      const entry = values.get(entryKey(connectionId, key));
      return entry ? { connectionId, key, ...entry } : null;
    },
    async set(connectionId, key, value) {
      values.set(entryKey(connectionId, key), { value, updatedAt: new Date().toISOString() });
    },
    async delete(connectionId, key) {
      return values.delete(entryKey(connectionId, key));
    },
    async count(connectionId) {
      return [...values.keys()].filter((key) => key.startsWith(`${connectionId}\u0000`)).length;
    },
  };
}
