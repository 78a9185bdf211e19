import type { FieldMapping } from '../generated/field-mapping.js';
import type { AuthMethod, ConnectorManifest, PluginEntry } from '../generated/manifest.js';
import { AuthoringError } from './authoring-error.js';

// The record, test and run commands drive the platform's own runtime, so a connector
// behaves in them as it will in production. The SDK cannot depend on @lumio/platform,
// because the platform depends on the SDK. These types therefore describe only the parts
// the commands call, and a test in test/authoring checks them against the platform's types.

export type PlatformHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A provider request as the platform's runtime hands it to its HTTP client, auth applied. */
export interface PlatformHttpRequest {
  method: PlatformHttpMethod;
  /** Absolute URL; entries of `query` replace parameters of the same name in it. */
  url: string;
  headers?: Record<string, string>;
  /** null and undefined values leave the parameter out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  /** A string or bytes are sent as they are, URLSearchParams as a form, any other value as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface PlatformHttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON, else the text. */
  body: unknown;
  rawBody: string;
  durationMs: number;
  requestId?: string;
  /** The final request URL, including the query. */
  url: string;
}

export interface PlatformHttpClient {
  send(request: PlatformHttpRequest): Promise<PlatformHttpResponse>;
  close(): Promise<void>;
}

/** The platform's pino logger; authoring code only passes it on. */
export type PlatformLogger = object;

/** A bundled plugin as the platform loads it. */
export interface LoadedPlugin {
  code: string;
  sha256: string;
}

/** Per-connection plugin state, as the platform's store keeps it. */
export interface PluginStateStore {
  get(connectionId: string, key: string): Promise<{ connectionId: string; key: string; value: unknown; updatedAt: string } | null>;
  set(connectionId: string, key: string, value: unknown): Promise<void>;
  delete(connectionId: string, key: string): Promise<boolean>;
  count(connectionId: string): Promise<number>;
}

export interface PlatformSandbox {
  describe(connector: { id: string; plugin: LoadedPlugin }): Promise<{ hooks: string[]; actions: string[] }>;
  close(): Promise<void>;
}

/** Connection data the runtime needs to send one connection's requests. */
export interface PlatformConnectorContext {
  manifest: ConnectorManifest;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  authMethod: AuthMethod;
  http: PlatformHttpClient;
  logger: PlatformLogger;
  baseUrl?: string;
  connectionId?: string;
  /** The shared request services (rate limits, retry, circuit breaker). */
  services?: object;
}

/** One page of a stream: its records after any plugin transform, and the checkpoint after it. */
export interface PlatformStreamPage {
  records: unknown[];
  deleted: boolean;
  phase: string;
  /** The stream state to save once the page is stored; JSON. */
  state: object;
}

export interface PlatformMappedRecord {
  data: Record<string, unknown>;
  errors: { target: string; code: string; message: string }[];
}

export type PlatformLookup = (canonicalObject: string, externalIds: string[]) => Promise<Map<string, { id: string; data: Record<string, unknown> }>>;

/** Resource limits of plugin calls, as in the platform's config. */
export interface SandboxSettings {
  defaults: { memoryMb: number; cpuTimeMs: number; wallTimeMs: number };
  maximums: { memoryMb: number; cpuTimeMs: number; wallTimeMs: number };
  maxResultBytes: number;
}

/**
 * The platform functions the commands call. `Logger` is the platform's logger type. The
 * commands only pass loggers along, so they use the default, while the type check in
 * test/authoring fills in the platform's real logger type.
 */
export interface PlatformRuntime<Logger extends object = PlatformLogger> {
  loadConfig(env: Record<string, string | undefined>, cwd: string): { sandbox: SandboxSettings };
  createLogger(options: { level?: string; destination?: { write(message: string): unknown } }): Logger;
  createHttpClient(options: { allowPrivateNetwork: boolean; userAgent: string; logger: Logger }): PlatformHttpClient;
  startSharedServices(options: { redisUrl: string | undefined; logger: Logger }): Promise<{ pipeline: object; close(): Promise<void> }>;
  checkConnectionConfig(manifest: ConnectorManifest, input: unknown): Record<string, unknown>;
  selectAuthMethod(manifest: ConnectorManifest, credentials: Readonly<Record<string, string>>, requested?: string): AuthMethod;
  loadPluginBundle(directory: string, plugin: PluginEntry): Promise<LoadedPlugin>;
  SandboxHost: new (options: { settings: SandboxSettings; logger: Logger; pluginState?: PluginStateStore }) => PlatformSandbox;
  readObjectPages(options: {
    sandbox: PlatformSandbox | undefined;
    connector: { id: string; plugin?: LoadedPlugin };
    context: PlatformConnectorContext;
    stream: { object: string; mode: 'full' | 'incremental'; state?: object | null };
  }): AsyncGenerator<PlatformStreamPage>;
  compileMapping(mapping: FieldMapping): object;
  applyMapping(compiled: object, records: readonly unknown[], options?: { lookup?: PlatformLookup }): Promise<PlatformMappedRecord[]>;
  getRecordId(manifest: ConnectorManifest, object: string, record: unknown): string;
  /** Reads a dot path from a record as the runtime reads cursor fields: own properties and array indexes. */
  getPath(value: unknown, dotPath: string): unknown;
}

const RUNTIME_NAMES: readonly (keyof PlatformRuntime)[] = [
  'loadConfig',
  'createLogger',
  'createHttpClient',
  'startSharedServices',
  'checkConnectionConfig',
  'selectAuthMethod',
  'loadPluginBundle',
  'SandboxHost',
  'readObjectPages',
  'compileMapping',
  'applyMapping',
  'getRecordId',
  'getPath',
];

/**
 * Loads the runtime parts of @lumio/platform, which must be installed beside the SDK.
 * Raises PLATFORM_NOT_INSTALLED when it cannot be found, and PLATFORM_INCOMPATIBLE when
 * it lacks a function the commands call.
 */
export async function loadPlatformRuntime(): Promise<PlatformRuntime> {
  let entry: string;
  try {
    entry = import.meta.resolve('@lumio/platform');
  } catch (error) {
    throw new AuthoringError(
      'PLATFORM_NOT_INSTALLED',
      'The record, test and run commands need @lumio/platform, which is not installed beside @lumio/plugin-sdk; install it with `npm install --save-dev @lumio/platform`.',
      { cause: error },
    );
  }

  const main = (await import(entry)) as Record<string, unknown>;
  const missing = RUNTIME_NAMES.filter((name) => typeof main[name] !== 'function');
  if (missing.length > 0) {
    throw new AuthoringError(
      'PLATFORM_INCOMPATIBLE',
      `The installed @lumio/platform lacks ${missing.join(', ')}, which this SDK calls; install the platform version released with this SDK.`,
    );
  }
  return main as unknown as PlatformRuntime;
}
