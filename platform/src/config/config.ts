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
  /** Admin API key to accept instead of generating one at first start (for automation). */
  adminApiKey: string | undefined;
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
  /** Public URL of this platform, used in links it prints. Default http://host:port. */
  publicUrl: string | undefined;
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
  'LUMIO_ADMIN_API_KEY',
  'LUMIO_CONNECTORS_DIR',
  'LUMIO_ALLOW_PRIVATE_NETWORK',
  'LUMIO_DEMO',
  'NODE_ENV',
  'LOG_LEVEL',
  'LUMIO_PUBLIC_URL',
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
    adminApiKey: parseAdminKey(source),
    connectorsDir: resolve(cwd, source.LUMIO_CONNECTORS_DIR ?? 'connectors'),
    // The demo's simulator listens on loopback, so the demo needs loopback allowed.
    allowPrivateNetwork: parseBoolean(source, 'LUMIO_ALLOW_PRIVATE_NETWORK', demo),
    demo,
    nodeEnv,
    logLevel: parseLogLevel(source),
    publicUrl: parseUrl(source, 'LUMIO_PUBLIC_URL', ['http:', 'https:']),
  };
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
    if (!KNOWN_VARIABLES.includes(name)) {
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

function parseAdminKey(source: Source): string | undefined {
  const raw = source.LUMIO_ADMIN_API_KEY;
  if (raw === undefined) return undefined;

  // A short key is guessable; 24 characters of base64 carry about 144 bits.
  if (raw.length < 24 || /\s/.test(raw)) {
    throw configError('LUMIO_ADMIN_API_KEY', 'LUMIO_ADMIN_API_KEY must be at least 24 characters with no spaces.');
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
