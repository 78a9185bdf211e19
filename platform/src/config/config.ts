import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { LumioError } from '../errors/index.js';

/** Platform settings, parsed and checked once at start; modules receive this, never `process.env`. */
export interface PlatformConfig {
  /** TCP port of the HTTP server. Default 3000; 0 picks a free port. */
  port: number;
  /** Interface the HTTP server binds to. Default 127.0.0.1. */
  host: string;
  /** Folder for the embedded SQLite database and the master key file. Default `.lumio` under the working directory. */
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite database is used. */
  databaseUrl: string | undefined;
  /** Redis connection string for shared rate limits, cache and jobs; unused when absent. */
  redisUrl: string | undefined;
  /** Base64 of a 32-byte key for credential encryption; when absent a key file in `dataDir` is used. */
  masterKey: string | undefined;
  /**
   * LUMIO_MASTER_KEYS: base64 keys separated by commas, the active one first and older ones
   * after it, for a rotation with keys kept in the environment. Excludes LUMIO_MASTER_KEY.
   */
  masterKeys: string[] | undefined;
  /** OAuth client registrations of the operator, per connector. */
  oauth: OAuthConfig;
  /** Admin API key to accept instead of generating one at first start (for automation). */
  adminApiKey: string | undefined;
  /**
   * LUMIO_ADMIN_PASSWORD: password of the demo admin user created at the first start of the
   * embedded demo, and the password `create-admin` and `create-user` use instead of reading
   * standard input. At least 12 characters.
   */
  adminPassword: string | undefined;
  /** Folder holding one sub-folder per connector with its `manifest.json`. */
  connectorsDir: string;
  /** Whether connector HTTP may reach loopback and private addresses (simulators, tests). Default false. */
  allowPrivateNetwork: boolean;
  /** Whether to start the bundled HubSpot sandbox simulator and a demo connection. Default true unless production. */
  demo: boolean;
  /** `production`, `development` or `test`, from NODE_ENV. */
  nodeEnv: string;
  /** pino log level. Default info. */
  logLevel: string;
  /** Public URL of this platform, used in links it prints and in webhook URLs that providers sign. Default http://host:port. */
  publicUrl: string | undefined;
  /** Webhook router limits and retention. */
  webhooks: WebhookConfig;
  /** Resource limits of sandboxed plugin calls. */
  sandbox: SandboxConfig;
  /** Lock timing of the durable job queue. */
  jobs: JobsConfig;
  /** Sync workers and the schedule loop. */
  sync: SyncConfig;
  /**
   * LUMIO_TRUST_PROXY: whether the client address of a request is read from the first entry
   * of `X-Forwarded-For` instead of the socket (default false). Turn it on only behind a
   * proxy that sets the header, because clients can send any value in it.
   */
  trustProxy: boolean;
  /** Audit log retention. */
  audit: AuditConfig;
  /** Studio sessions, password hashing and request rate limits of the `/v1` API. */
  access: AccessConfig;
}

export interface AccessConfig {
  /** LUMIO_SESSION_IDLE_MINUTES: a studio session ends after this many minutes without a request (default 720, 12 hours). */
  sessionIdleMinutes: number;
  /** LUMIO_SESSION_LIFETIME_HOURS: a studio session ends this many hours after login, however it is used (default 168, 7 days). */
  sessionLifetimeHours: number;
  /** LUMIO_API_RATE_PER_SECOND: requests per second one API key or one studio session may make, on average (default 50). */
  apiRatePerSecond: number;
  /** LUMIO_API_RATE_BURST: requests one API key or session may make at once before the average applies (default 100). */
  apiRateBurst: number;
  /** LUMIO_LOGIN_MAX_FAILURES: failed logins for one email within the failure window before further attempts get 429 (default 5). */
  loginMaxFailuresPerEmail: number;
  /** LUMIO_LOGIN_MAX_FAILURES_PER_IP: failed logins from one client address within the failure window before further attempts get 429 (default 50). */
  loginMaxFailuresPerAddress: number;
  /** LUMIO_LOGIN_FAILURE_WINDOW_MINUTES: time over which the failure allowance refills completely, in minutes (default 15). */
  loginFailureWindowMinutes: number;
  /**
   * LUMIO_PASSWORD_SCRYPT_COST: log2 of scrypt's cost parameter N for new password hashes
   * (default 17, so N = 131072 and 128 MiB of memory per hash, with r = 8 and p = 1).
   * Stored hashes keep their own parameters, and weaker ones are hashed again at the next login.
   */
  passwordScryptCost: number;
}

export interface AuditConfig {
  /** LUMIO_AUDIT_RETENTION_DAYS: days audit entries are kept before a periodic job deletes them (default 90). */
  retentionDays: number;
}

export interface OAuthConfig {
  /**
   * Client ids and secrets from LUMIO_OAUTH_<CONNECTOR>_CLIENT_ID and
   * LUMIO_OAUTH_<CONNECTOR>_CLIENT_SECRET, keyed by <CONNECTOR>: the connector id in upper
   * case with each character other than a letter or digit written as `_` (see
   * `oauthConnectorKey`). A connect request's own `credentials.clientId` and
   * `credentials.clientSecret` take precedence.
   */
  clients: Record<string, OAuthClientConfig>;
}

export interface OAuthClientConfig {
  clientId: string;
  /** Absent for a public client, which authenticates with PKCE alone. */
  clientSecret?: string;
}

export interface JobsConfig {
  /**
   * LUMIO_JOB_LOCK_MS: time a worker's lock on a running job lasts, in milliseconds
   * (default 30000). Workers extend it while the job runs, so it only bounds how long a
   * job of a crashed worker waits before another worker takes it over.
   */
  lockMs: number;
  /** LUMIO_JOB_STALLED_INTERVAL_MS: how often workers look for jobs whose lock expired, in milliseconds (default 30000). */
  stalledIntervalMs: number;
  /**
   * LUMIO_JOB_MAX_STALLED_COUNT: times a job may be taken over from a crashed worker before
   * it goes to the dead-letter list (default 5). Sync runs resume from their checkpoint, so
   * a takeover repeats at most one page.
   */
  maxStalledCount: number;
}

export interface SyncConfig {
  /** LUMIO_SYNC_CONCURRENCY: sync runs one process executes at the same time (default 4). */
  concurrency: number;
  /** LUMIO_SYNC_SCHEDULER_INTERVAL_MS: how often a worker looks for due scheduled syncs and for runs without a job, in milliseconds (default 15000). */
  schedulerIntervalMs: number;
}

/** Resource limits of one plugin call. */
export interface SandboxLimits {
  /** Heap limit of the plugin's isolate, in megabytes (at least 8, the isolate minimum). */
  memoryMb: number;
  /** CPU time the call may use, in milliseconds. */
  cpuTimeMs: number;
  /** Elapsed time of the call, including waits for host calls, in milliseconds. */
  wallTimeMs: number;
}

export interface SandboxConfig {
  /**
   * Limits of a call whose manifest sets none: LUMIO_SANDBOX_MEMORY_MB (default 64),
   * LUMIO_SANDBOX_CPU_MS (default 1000) and LUMIO_SANDBOX_WALL_MS (default 30000).
   */
  defaults: SandboxLimits;
  /**
   * Highest limits a manifest's `plugin.limits` may ask for: LUMIO_SANDBOX_MAX_MEMORY_MB
   * (default 512), LUMIO_SANDBOX_MAX_CPU_MS (default 30000) and LUMIO_SANDBOX_MAX_WALL_MS
   * (default 300000). A larger request is lowered to the maximum.
   */
  maximums: SandboxLimits;
  /** Largest JSON result one call may return, in bytes: LUMIO_SANDBOX_MAX_RESULT_BYTES, default 8388608 (8 MiB). */
  maxResultBytes: number;
}

export interface WebhookConfig {
  /** Largest delivery body accepted, in bytes. Default 1048576 (1 MiB). */
  maxBodyBytes: number;
  /** Deliveries per second one endpoint accepts, with bursts of twice that. Default 200. */
  ratePerSecond: number;
  /** Days processed events are kept. Default 30. */
  retentionDays: number;
  /** Processing attempts before an event goes to the dead-letter list. Default 8. */
  maxAttempts: number;
  /**
   * LUMIO_WEBHOOK_LOCK_MS: how long a worker's claim on an event lasts, in milliseconds
   * (default 60000, at least 1000). Events of a worker that died wait this long before
   * another worker takes them over, so it must be longer than a batch takes to process.
   */
  lockMs: number;
}

type Source = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration from environment variables, and from the JSON file named by
 * LUMIO_CONFIG_FILE when set (environment variables win over the file).
 */
export function loadConfig(env: Source = process.env, cwd: string = process.cwd()): PlatformConfig {
  const fromFile = readConfigFile(env, cwd);
  const fromEnvironment = definedOnly(env);
  try {
    return parseConfig({ ...fromFile, ...fromEnvironment }, cwd);
  } catch (error) {
    // The message names the file of a bad value, because the environment does not show it.
    const variable = error instanceof LumioError ? error.details.variable : undefined;
    if (typeof variable === 'string' && variable in fromFile && !(variable in fromEnvironment)) {
      throw configError(variable, `${(error as Error).message} (set in ${env.LUMIO_CONFIG_FILE})`);
    }
    throw error;
  }
}

/** Variable names the platform reads; a config file may hold only these. */
const KNOWN_VARIABLES = [
  'PORT',
  'HOST',
  'LUMIO_DATA_DIR',
  'DATABASE_URL',
  'REDIS_URL',
  'LUMIO_MASTER_KEY',
  'LUMIO_MASTER_KEYS',
  'LUMIO_ADMIN_API_KEY',
  'LUMIO_CONNECTORS_DIR',
  'LUMIO_ALLOW_PRIVATE_NETWORK',
  'LUMIO_DEMO',
  'NODE_ENV',
  'LOG_LEVEL',
  'LUMIO_PUBLIC_URL',
  'LUMIO_WEBHOOK_MAX_BODY_BYTES',
  'LUMIO_WEBHOOK_RATE_PER_SECOND',
  'LUMIO_WEBHOOK_RETENTION_DAYS',
  'LUMIO_WEBHOOK_MAX_ATTEMPTS',
  'LUMIO_WEBHOOK_LOCK_MS',
  'LUMIO_SANDBOX_MEMORY_MB',
  'LUMIO_SANDBOX_CPU_MS',
  'LUMIO_SANDBOX_WALL_MS',
  'LUMIO_SANDBOX_MAX_MEMORY_MB',
  'LUMIO_SANDBOX_MAX_CPU_MS',
  'LUMIO_SANDBOX_MAX_WALL_MS',
  'LUMIO_SANDBOX_MAX_RESULT_BYTES',
  'LUMIO_JOB_LOCK_MS',
  'LUMIO_JOB_STALLED_INTERVAL_MS',
  'LUMIO_JOB_MAX_STALLED_COUNT',
  'LUMIO_SYNC_CONCURRENCY',
  'LUMIO_SYNC_SCHEDULER_INTERVAL_MS',
  'LUMIO_TRUST_PROXY',
  'LUMIO_AUDIT_RETENTION_DAYS',
  'LUMIO_ADMIN_PASSWORD',
  'LUMIO_SESSION_IDLE_MINUTES',
  'LUMIO_SESSION_LIFETIME_HOURS',
  'LUMIO_API_RATE_PER_SECOND',
  'LUMIO_API_RATE_BURST',
  'LUMIO_LOGIN_MAX_FAILURES',
  'LUMIO_LOGIN_MAX_FAILURES_PER_IP',
  'LUMIO_LOGIN_FAILURE_WINDOW_MINUTES',
  'LUMIO_PASSWORD_SCRYPT_COST',
];

function parseConfig(source: Source, cwd: string): PlatformConfig {
  const nodeEnv = source.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const demo = parseBoolean(source, 'LUMIO_DEMO', !production);
  if (demo && production) {
    throw configError('LUMIO_DEMO', 'The demo sandbox cannot run with NODE_ENV=production; unset LUMIO_DEMO or NODE_ENV.');
  }

  return {
    port: parsePort(source, 'PORT', 3000),
    host: source.HOST ?? '127.0.0.1',
    dataDir: resolve(cwd, source.LUMIO_DATA_DIR ?? '.lumio'),
    databaseUrl: parseUrl(source, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: parseUrl(source, 'REDIS_URL', ['redis:', 'rediss:']),
    masterKey: parseMasterKey(source),
    masterKeys: parseMasterKeys(source),
    oauth: { clients: parseOAuthClients(source) },
    adminApiKey: parseAdminKey(source),
    adminPassword: parseAdminPassword(source),
    connectorsDir: resolve(cwd, source.LUMIO_CONNECTORS_DIR ?? 'connectors'),
    // The demo's simulator listens on loopback, so the demo needs loopback allowed.
    allowPrivateNetwork: parseBoolean(source, 'LUMIO_ALLOW_PRIVATE_NETWORK', demo),
    demo,
    nodeEnv,
    logLevel: parseLogLevel(source),
    publicUrl: parseUrl(source, 'LUMIO_PUBLIC_URL', ['http:', 'https:']),
    webhooks: {
      maxBodyBytes: parseInteger(source, 'LUMIO_WEBHOOK_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      ratePerSecond: parseInteger(source, 'LUMIO_WEBHOOK_RATE_PER_SECOND', 200, 1, 1_000_000),
      retentionDays: parseInteger(source, 'LUMIO_WEBHOOK_RETENTION_DAYS', 30, 1, 3650),
      maxAttempts: parseInteger(source, 'LUMIO_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      lockMs: parseInteger(source, 'LUMIO_WEBHOOK_LOCK_MS', 60_000, 1_000, 3_600_000),
    },
    sandbox: parseSandbox(source),
    jobs: {
      lockMs: parseInteger(source, 'LUMIO_JOB_LOCK_MS', 30_000, 100, 3_600_000),
      stalledIntervalMs: parseInteger(source, 'LUMIO_JOB_STALLED_INTERVAL_MS', 30_000, 10, 3_600_000),
      maxStalledCount: parseInteger(source, 'LUMIO_JOB_MAX_STALLED_COUNT', 5, 0, 1_000),
    },
    sync: {
      concurrency: parseInteger(source, 'LUMIO_SYNC_CONCURRENCY', 4, 1, 100),
      schedulerIntervalMs: parseInteger(source, 'LUMIO_SYNC_SCHEDULER_INTERVAL_MS', 15_000, 100, 3_600_000),
    },
    trustProxy: parseBoolean(source, 'LUMIO_TRUST_PROXY', false),
    audit: {
      retentionDays: parseInteger(source, 'LUMIO_AUDIT_RETENTION_DAYS', 90, 1, 3650),
    },
    access: {
      sessionIdleMinutes: parseInteger(source, 'LUMIO_SESSION_IDLE_MINUTES', 720, 1, 525_600),
      sessionLifetimeHours: parseInteger(source, 'LUMIO_SESSION_LIFETIME_HOURS', 168, 1, 8_760),
      apiRatePerSecond: parseInteger(source, 'LUMIO_API_RATE_PER_SECOND', 50, 1, 1_000_000),
      apiRateBurst: parseInteger(source, 'LUMIO_API_RATE_BURST', 100, 1, 1_000_000),
      loginMaxFailuresPerEmail: parseInteger(source, 'LUMIO_LOGIN_MAX_FAILURES', 5, 1, 1_000),
      loginMaxFailuresPerAddress: parseInteger(source, 'LUMIO_LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100_000),
      loginFailureWindowMinutes: parseInteger(source, 'LUMIO_LOGIN_FAILURE_WINDOW_MINUTES', 15, 1, 1_440),
      // 17 is the minimum OWASP's Password Storage Cheat Sheet gives for scrypt (2023); tests use 14 to stay fast.
      passwordScryptCost: parseInteger(source, 'LUMIO_PASSWORD_SCRYPT_COST', 17, 14, 20),
    },
  };
}

/** Smallest isolate heap isolated-vm accepts, in megabytes. */
const MIN_SANDBOX_MEMORY_MB = 8;
const MAX_SANDBOX_MEMORY_MB = 16_384;
const MAX_SANDBOX_TIME_MS = 3_600_000;

function parseSandbox(source: Source): SandboxConfig {
  const maximums: SandboxLimits = {
    memoryMb: parseInteger(source, 'LUMIO_SANDBOX_MAX_MEMORY_MB', 512, MIN_SANDBOX_MEMORY_MB, MAX_SANDBOX_MEMORY_MB),
    cpuTimeMs: parseInteger(source, 'LUMIO_SANDBOX_MAX_CPU_MS', 30_000, 1, MAX_SANDBOX_TIME_MS),
    wallTimeMs: parseInteger(source, 'LUMIO_SANDBOX_MAX_WALL_MS', 300_000, 1, MAX_SANDBOX_TIME_MS),
  };
  const defaults: SandboxLimits = {
    memoryMb: parseInteger(source, 'LUMIO_SANDBOX_MEMORY_MB', Math.min(64, maximums.memoryMb), MIN_SANDBOX_MEMORY_MB, MAX_SANDBOX_MEMORY_MB),
    cpuTimeMs: parseInteger(source, 'LUMIO_SANDBOX_CPU_MS', Math.min(1000, maximums.cpuTimeMs), 1, MAX_SANDBOX_TIME_MS),
    wallTimeMs: parseInteger(source, 'LUMIO_SANDBOX_WALL_MS', Math.min(30_000, maximums.wallTimeMs), 1, MAX_SANDBOX_TIME_MS),
  };

  const pairs: [keyof SandboxLimits, string, string][] = [
    ['memoryMb', 'LUMIO_SANDBOX_MEMORY_MB', 'LUMIO_SANDBOX_MAX_MEMORY_MB'],
    ['cpuTimeMs', 'LUMIO_SANDBOX_CPU_MS', 'LUMIO_SANDBOX_MAX_CPU_MS'],
    ['wallTimeMs', 'LUMIO_SANDBOX_WALL_MS', 'LUMIO_SANDBOX_MAX_WALL_MS'],
  ];
  for (const [limit, defaultName, maximumName] of pairs) {
    if (defaults[limit] > maximums[limit]) {
      throw configError(defaultName, `${defaultName} (${defaults[limit]}) must not exceed ${maximumName} (${maximums[limit]}); lower it or raise the maximum.`);
    }
  }

  const maxResultBytes = parseInteger(source, 'LUMIO_SANDBOX_MAX_RESULT_BYTES', 8 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
  return { defaults, maximums, maxResultBytes };
}

function readConfigFile(env: Source, cwd: string): Source {
  const file = env.LUMIO_CONFIG_FILE;
  if (!file) return {};

  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw configError('LUMIO_CONFIG_FILE', `The config file ${path} does not exist.`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw configError('LUMIO_CONFIG_FILE', `The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw configError('LUMIO_CONFIG_FILE', `The config file ${path} must hold a JSON object of variable names to values.`);
  }

  const values: Source = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!KNOWN_VARIABLES.includes(name) && !OAUTH_CLIENT_VARIABLE.test(name)) {
      throw configError(name, `${name} in ${path} is not a setting of the platform; known settings: ${KNOWN_VARIABLES.join(', ')}.`);
    }
    if (typeof value === 'object' && value !== null) {
      throw configError(name, `${name} in ${path} must be a string, number or boolean.`);
    }
    values[name] = value === null ? undefined : String(value);
  }
  return values;
}

function definedOnly(env: Source): Source {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

function parsePort(source: Source, name: string, fallback: number): number {
  const raw = source[name];
  if (raw === undefined) return fallback;

  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw configError(name, `${name} must be a port number from 0 to 65535, got "${raw}".`);
  }
  return port;
}

function parseInteger(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = source[name];
  if (raw === undefined) return fallback;

  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw configError(name, `${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function parseBoolean(source: Source, name: string, fallback: boolean): boolean {
  const raw = source[name];
  if (raw === undefined) return fallback;

  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw configError(name, `${name} must be true or false, got "${raw}".`);
}

function parseUrl(source: Source, name: string, protocols: string[]): string | undefined {
  const raw = source[name];
  if (raw === undefined) return undefined;

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(name, `${name} is not a valid URL; expected one starting with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}.`);
  }
  if (!protocols.includes(url.protocol)) {
    throw configError(name, `${name} must start with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}, got ${url.protocol}//.`);
  }
  return raw;
}

function parseMasterKey(source: Source): string | undefined {
  const raw = source.LUMIO_MASTER_KEY;
  if (raw === undefined) return undefined;

  if (Buffer.from(raw, 'base64').length !== 32) {
    throw configError('LUMIO_MASTER_KEY', 'LUMIO_MASTER_KEY must be 32 bytes encoded as base64 (for example the output of `openssl rand -base64 32`).');
  }
  return raw;
}

function parseMasterKeys(source: Source): string[] | undefined {
  const raw = source.LUMIO_MASTER_KEYS;
  if (raw === undefined) return undefined;

  if (source.LUMIO_MASTER_KEY !== undefined) {
    throw configError('LUMIO_MASTER_KEYS', 'LUMIO_MASTER_KEYS and LUMIO_MASTER_KEY are both set; keep only LUMIO_MASTER_KEYS, with the active key first.');
  }
  const keys = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (keys.length === 0) {
    throw configError('LUMIO_MASTER_KEYS', 'LUMIO_MASTER_KEYS lists no key; give base64 keys separated by commas, the active one first.');
  }
  for (const [index, key] of keys.entries()) {
    if (Buffer.from(key, 'base64').length !== 32) {
      throw configError('LUMIO_MASTER_KEYS', `Entry ${index + 1} of LUMIO_MASTER_KEYS is not 32 bytes encoded as base64 (for example the output of \`openssl rand -base64 32\`).`);
    }
  }
  return keys;
}

const OAUTH_CLIENT_VARIABLE = /^LUMIO_OAUTH_([A-Z0-9_]+)_CLIENT_(ID|SECRET)$/;

/** Returns the key of a connector's LUMIO_OAUTH_<CONNECTOR>_CLIENT_* variables: `hubspot` gives `HUBSPOT`, `google-ads` gives `GOOGLE_ADS`. */
export function oauthConnectorKey(connectorId: string): string {
  return connectorId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function parseOAuthClients(source: Source): Record<string, OAuthClientConfig> {
  const ids: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    const match = OAUTH_CLIENT_VARIABLE.exec(name);
    if (!match || value === undefined) continue;
    if (match[2] === 'ID') ids[match[1]!] = value;
    else secrets[match[1]!] = value;
  }

  const clients: Record<string, OAuthClientConfig> = {};
  for (const [connector, secret] of Object.entries(secrets)) {
    if (ids[connector] === undefined) {
      throw configError(`LUMIO_OAUTH_${connector}_CLIENT_SECRET`, `LUMIO_OAUTH_${connector}_CLIENT_SECRET is set without LUMIO_OAUTH_${connector}_CLIENT_ID; set both, or neither.`);
    }
    clients[connector] = { clientId: ids[connector], clientSecret: secret };
  }
  for (const [connector, clientId] of Object.entries(ids)) clients[connector] ??= { clientId };
  return clients;
}

function parseAdminKey(source: Source): string | undefined {
  const raw = source.LUMIO_ADMIN_API_KEY;
  if (raw === undefined) return undefined;

  // A short key is guessable; 24 characters of base64 carry about 144 bits.
  if (raw.length < 24 || /\s/.test(raw)) {
    throw configError('LUMIO_ADMIN_API_KEY', 'LUMIO_ADMIN_API_KEY must be at least 24 characters with no spaces.');
  }
  return raw;
}

/** Minimum password length for a studio user, in characters. */
const MIN_ADMIN_PASSWORD_LENGTH = 12;

function parseAdminPassword(source: Source): string | undefined {
  const raw = source.LUMIO_ADMIN_PASSWORD;
  if (raw === undefined) return undefined;

  if ([...raw].length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw configError('LUMIO_ADMIN_PASSWORD', `LUMIO_ADMIN_PASSWORD must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters.`);
  }
  return raw;
}

function parseLogLevel(source: Source): string {
  const raw = source.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(raw)) {
    throw configError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}".`);
  }
  return raw;
}

function configError(variable: string, message: string): LumioError {
  return new LumioError('CONFIG_INVALID', message, { status: 500, fault: 'platform', details: { variable } });
}
