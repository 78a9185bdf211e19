import { arrayOf, dateTime, nullableDateTime, nullableString, objectOf, schemaRef, type SchemaObject } from '../builders.js';

/** The seven permissions; a role grants a fixed set of them and an API key carries some as scopes. */
export const PERMISSIONS = ['integrations.read', 'integrations.write', 'integrations.delete', 'integrations.connect', 'integrations.disconnect', 'webhooks.manage', 'api_keys.manage'] as const;

const ROLE: SchemaObject = {
  type: 'string',
  enum: ['admin', 'manager', 'user', 'integration_manager'],
  description:
    'admin: every permission. manager: integrations.read, .write, .connect, .disconnect and webhooks.manage. user: integrations.read. integration_manager: integrations.read, .write, .delete, .connect and .disconnect.',
};
const PERMISSION: SchemaObject = { type: 'string', enum: [...PERMISSIONS] };

/** Studio sessions, API keys, users and the audit log. */
export const accessSchemas: Record<string, SchemaObject> = {
  LoginRequest: {
    type: 'object',
    required: ['email', 'password'],
    additionalProperties: false,
    properties: { email: { type: 'string', minLength: 1 }, password: { type: 'string', minLength: 1 } },
  },
  Session: objectOf({
    user: objectOf({ id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: ROLE, workspaceId: { type: 'string' } }),
    permissions: arrayOf(PERMISSION),
    csrfToken: { type: 'string', description: 'Send it as `x-csrf-token` on every request of this session whose method is not GET, HEAD or OPTIONS.' },
  }),
  ApiKey: objectOf({
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'The first characters of the key, to recognise it; the key itself is stored hashed.' },
    scopes: arrayOf(PERMISSION),
    createdAt: dateTime,
    lastUsedAt: nullableDateTime,
    revokedAt: nullableDateTime,
  }),
  ApiKeyRequest: {
    type: 'object',
    required: ['name', 'scopes'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Who or what uses the key.' },
      scopes: { ...arrayOf(PERMISSION, 'Permissions of the key; a caller can grant only permissions it holds itself.'), minItems: 1 },
    },
  },
  ApiKeyCreated: objectOf({ apiKey: schemaRef('ApiKey'), key: { type: 'string', description: 'The key in plain text, shown only in this response.' } }),
  ApiKeyPage: objectOf({ apiKeys: arrayOf(schemaRef('ApiKey')), nextCursor: { type: ['string', 'null'] } }),
  User: {
    type: 'object',
    required: ['id', 'email', 'name', 'role'],
    properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: ROLE, workspaceId: { type: 'string' }, createdAt: dateTime },
  },
  UserRequest: {
    type: 'object',
    required: ['email', 'name', 'role', 'password'],
    additionalProperties: false,
    properties: { email: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, role: ROLE, password: { type: 'string', minLength: 1 } },
  },
  UserCreated: objectOf({ user: schemaRef('User') }),
  UserPage: objectOf({ users: arrayOf(schemaRef('User')), nextCursor: { type: ['string', 'null'] } }),
  AuditEntry: objectOf({
    id: { type: 'string' },
    timestamp: dateTime,
    workspaceId: { type: 'string' },
    actor: { type: 'string', description: '`key:<id>` or `user:<id>`.' },
    userId: nullableString,
    apiKeyId: nullableString,
    action: { type: 'string', description: 'What was done, such as `integration.connect`.' },
    resource: { type: ['string', 'null'], description: 'What it was done to, such as a connection id.' },
    ipAddress: nullableString,
    userAgent: nullableString,
    status: { type: 'string', enum: ['success', 'failure'] },
    statusCode: { type: ['integer', 'null'] },
    requestId: nullableString,
    metadata: { type: 'object' },
  }),
  AuditPage: objectOf({ entries: arrayOf(schemaRef('AuditEntry')), nextCursor: { type: ['string', 'null'] } }),
};
