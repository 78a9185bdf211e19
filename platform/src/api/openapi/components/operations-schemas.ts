import { arrayOf, dateTime, nullableDateTime, objectOf, schemaRef, type SchemaObject } from '../builders.js';

/** Support tools of a connection (test, metrics, debug mode, diagnostic), its actions, OAuth and health. */
export const operationsSchemas: Record<string, SchemaObject> = {
  ConnectionTestResult: objectOf(
    {
      integration: { type: 'string' },
      connectionId: { type: 'string' },
      ok: { type: 'boolean' },
      latencyMs: { type: 'number', minimum: 0 },
      checkedAt: dateTime,
      providerStatus: { type: ['integer', 'null'], description: "The HTTP status of the provider's response, or null when none came." },
      error: objectOf({ code: { type: 'string' }, message: { type: 'string' } }),
    },
    { optional: ['error'] },
  ),
  IntegrationMetrics: {
    type: 'object',
    description: 'Counters of the connection: requests, errors, p50 and p95 latency, rate-limit hits, cache hits and records synced.',
  },
  DebugModeRequest: {
    type: 'object',
    required: ['enabled'],
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      duration: { type: 'integer', minimum: 1, maximum: 86_400, default: 3_600, description: 'Seconds until debug mode turns itself off.' },
      level: { type: 'string', enum: ['verbose'] },
    },
  },
  DebugMode: objectOf({
    integration: { type: 'string' },
    connectionId: { type: 'string' },
    enabled: { type: 'boolean' },
    level: { type: ['string', 'null'] },
    expiresAt: nullableDateTime,
    enabledBy: { type: ['string', 'null'], description: 'The actor who switched it on.' },
  }),
  Diagnostic: { type: 'object', description: 'A support report of the connection: connector, settings, recent runs, errors, breakers and budgets, with every secret redacted.' },
  OAuthAuthorization: objectOf({
    status: { type: 'string', const: 'authorization_required' },
    authorizationUrl: { type: 'string', format: 'uri', description: "Send the user's browser here; the provider redirects back to `/v1/oauth/callback`." },
    state: { type: 'string' },
    expiresAt: dateTime,
  }),
  ActionSummary: objectOf({
    name: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string' },
    input: { type: 'object', description: 'JSON Schema of the input.' },
    runs: { type: 'string', enum: ['declared', 'plugin'] },
    interactive: { type: 'boolean' },
  }),
  ActionList: objectOf({ connectionId: { type: 'string' }, actions: arrayOf(schemaRef('ActionSummary'), "The connector's actions, bounded by its manifest and plugin.") }),
  ActionRequest: {
    type: 'object',
    properties: { input: { type: 'object', description: "The action's input, checked against its `input` schema by the endpoint." } },
  },
  ActionResult: objectOf({ action: { type: 'string' }, connectionId: { type: 'string' }, runs: { type: 'string', enum: ['declared', 'plugin'] }, output: {}, durationMs: { type: 'number' } }),
  Health: {
    type: 'object',
    required: ['status', 'timestamp'],
    properties: {
      status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
      timestamp: dateTime,
      checks: {
        type: 'object',
        properties: {
          database: { type: 'string', enum: ['healthy', 'unhealthy'] },
          redis: { type: 'string', enum: ['healthy', 'unhealthy'], description: 'Present when the platform uses Redis.' },
          queue: { type: 'string', enum: ['healthy', 'unhealthy'], description: "The job queue's backend: the database, or Redis for BullMQ." },
          integrations: {
            type: 'object',
            description: "Per installed connector: the worst health among its connections in every workspace, `not_connected` without any, `unavailable` when its manifest failed to load.",
            additionalProperties: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy', 'not_connected', 'unavailable'] },
          },
        },
      },
      metrics: {
        type: 'object',
        properties: {
          uptime: { type: 'integer', description: 'Seconds since the process started.' },
          requests_total: { type: 'number', description: 'Provider requests this process sent.' },
          errors_total: { type: 'number', description: 'Provider requests of this process that ended in an error.' },
          error_rate: { type: 'number', description: 'errors_total divided by requests_total, 0 without requests.' },
        },
      },
    },
  },
};
