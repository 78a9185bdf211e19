import type { ConfigField, ConnectorManifest } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';

/**
 * Config keys every connection accepts whatever its manifest declares. `baseUrl` points a
 * connection at a sandbox or simulator instead of the manifest's production URL.
 * `rateLimits` is "manifest" (default: the manifest's budgets apply) or "providerOnly"
 * (only the provider's own quota headers and 429s slow requests down), for sandboxes without
 * limits and accounts whose provider plan allows more than the manifest declares.
 */
const PLATFORM_CONFIG_FIELDS = new Set(['baseUrl', 'rateLimits']);
const RATE_LIMIT_MODES = ['manifest', 'providerOnly'];

/**
 * Checks a connection's config against the manifest's `connection.configSchema` and returns it
 * with defaults filled in. Every problem is listed in one error so a caller fixes them at once.
 */
export function checkConnectionConfig(manifest: ConnectorManifest, input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalid([{ field: 'config', message: 'config must be a JSON object.' }]);
  }

  const schema = manifest.connection.configSchema;
  const config: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const problems: { field: string; message: string }[] = [];

  for (const key of Object.keys(config)) {
    if (!(key in schema.properties) && !PLATFORM_CONFIG_FIELDS.has(key)) {
      const known = [...Object.keys(schema.properties), ...PLATFORM_CONFIG_FIELDS].join(', ');
      problems.push({ field: `config.${key}`, message: `config.${key} is not a setting of ${manifest.name}; known settings: ${known}.` });
    }
  }

  for (const [key, field] of Object.entries(schema.properties)) {
    if (config[key] === undefined && field.default !== undefined) config[key] = field.default;

    const value = config[key];
    if (value === undefined) {
      if (schema.required?.includes(key)) problems.push({ field: `config.${key}`, message: `config.${key} is required: ${field.description}` });
      continue;
    }

    const problem = checkField(key, field, value);
    if (problem) problems.push({ field: `config.${key}`, message: problem });
  }

  if (config.baseUrl !== undefined) {
    const problem = checkBaseUrl(config.baseUrl);
    if (problem) problems.push({ field: 'config.baseUrl', message: problem });
  }
  if (config.rateLimits !== undefined && !RATE_LIMIT_MODES.includes(config.rateLimits as string)) {
    problems.push({ field: 'config.rateLimits', message: `config.rateLimits must be one of ${RATE_LIMIT_MODES.join(', ')}, got ${JSON.stringify(config.rateLimits)}.` });
  }

  if (problems.length > 0) throw invalid(problems);
  return config;
}

function checkField(key: string, field: ConfigField, value: unknown): string | undefined {
  const expected = field.type === 'integer' ? 'number' : field.type;
  if (typeof value !== expected) return `config.${key} must be a ${field.type}, got ${describe(value)}.`;
  if (field.type === 'integer' && !Number.isInteger(value)) return `config.${key} must be a whole number, got ${String(value)}.`;
  if (field.enum && !field.enum.includes(value as string | number)) {
    return `config.${key} must be one of ${field.enum.join(', ')}, got ${String(value)}.`;
  }
  if (field.pattern && typeof value === 'string' && !new RegExp(field.pattern, 'u').test(value)) {
    return `config.${key} does not match the expected pattern ${field.pattern}.`;
  }
  return undefined;
}

function checkBaseUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return `config.baseUrl must be a URL string, got ${describe(value)}.`;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'config.baseUrl must start with http:// or https://.';
    if (url.username || url.password) return 'config.baseUrl must not carry a user name or password; send credentials in "credentials".';
  } catch {
    return `config.baseUrl is not a valid URL: ${value}.`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function invalid(problems: { field: string; message: string }[]): LumioError {
  const first = problems[0];
  const message = problems.length === 1 && first ? first.message : `The connection config has ${problems.length} problems: ${problems.map((p) => p.message).join(' ')}`;
  return new LumioError('CONNECTION_CONFIG_INVALID', message, { status: 400, fault: 'caller', details: { problems } });
}
