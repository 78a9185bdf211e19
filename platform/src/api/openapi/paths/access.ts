import { jsonBody, jsonResponse, noContent, operation, pageParameters, pathParameter, queryParameter, schemaRef, type PathsObject } from '../builders.js';

const sessionCookie = {
  'Set-Cookie': {
    description: '`lumio_session=<opaque>; HttpOnly; SameSite=Strict; Path=/`, plus `Secure` when the public URL is https.',
    schema: { type: 'string' },
  },
};

/** Studio sessions, API keys, users and the audit log. */
export const accessPaths: PathsObject = {
  '/v1/session': {
    post: operation({
      operationId: 'logIn',
      summary: 'Log in to the studio',
      description: 'Sets the session cookie. A wrong email and a wrong password get the same 401 `LOGIN_FAILED`; repeated failures are rate-limited.',
      tags: ['Access'],
      access: 'public',
      requestBody: jsonBody(schemaRef('LoginRequest')),
      responses: { 200: { ...jsonResponse('Logged in.', schemaRef('Session')), headers: sessionCookie } },
      errors: [401, 429],
    }),
    get: operation({
      operationId: 'getSession',
      summary: 'Read the current session and its CSRF token',
      tags: ['Access'],
      responses: { 200: jsonResponse('The session.', schemaRef('Session')) },
    }),
    delete: operation({
      operationId: 'logOut',
      summary: 'Log out',
      description: 'Deletes the session on the server and clears the cookie.',
      tags: ['Access'],
      responses: { 204: noContent },
    }),
  },
  '/v1/api-keys': {
    get: operation({
      operationId: 'listApiKeys',
      summary: 'List API keys',
      description: 'Revoked keys included, paginated by cursor. Keys are never returned, only their prefix.',
      tags: ['Access'],
      parameters: pageParameters(50, 200),
      responses: { 200: jsonResponse('A page of keys.', schemaRef('ApiKeyPage')) },
      errors: [400],
    }),
    post: operation({
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description: 'The key is returned once, in this response, and stored hashed. A caller cannot grant a scope it does not hold (403).',
      tags: ['Access'],
      requestBody: jsonBody(schemaRef('ApiKeyRequest')),
      responses: { 201: jsonResponse('The key.', schemaRef('ApiKeyCreated')) },
    }),
  },
  '/v1/api-keys/{keyId}': {
    delete: operation({
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tags: ['Access'],
      parameters: [pathParameter('keyId', 'API key id.')],
      responses: { 204: noContent },
      errors: [404],
    }),
  },
  '/v1/users': {
    get: operation({
      operationId: 'listUsers',
      summary: 'List studio users',
      description: 'Paginated by cursor.',
      tags: ['Access'],
      parameters: pageParameters(50, 200),
      responses: { 200: jsonResponse('A page of users.', schemaRef('UserPage')) },
      errors: [400],
    }),
    post: operation({
      operationId: 'createUser',
      summary: 'Create a studio user',
      tags: ['Access'],
      requestBody: jsonBody(schemaRef('UserRequest')),
      responses: { 201: jsonResponse('The user.', schemaRef('UserCreated')) },
      errors: [409],
    }),
  },
  '/v1/users/{userId}': {
    delete: operation({
      operationId: 'deleteUser',
      summary: 'Delete a studio user and end their sessions',
      tags: ['Access'],
      parameters: [pathParameter('userId', 'User id.')],
      responses: { 204: noContent },
      errors: [404],
    }),
  },
  '/v1/audit-log': {
    get: operation({
      operationId: 'listAuditLog',
      summary: 'List audit entries',
      description: 'Newest first, paginated by cursor. Every change made through the API or the studio is recorded.',
      tags: ['Audit'],
      parameters: [
        ...pageParameters(50, 200),
        queryParameter('action', 'Only entries of this action, such as `integration.connect`.'),
        queryParameter('resource', 'Only entries about this resource, such as a connection id.'),
        queryParameter('since', 'Only entries at or after this time, ISO 8601.', { type: 'string', format: 'date-time' }),
      ],
      responses: { 200: jsonResponse('A page of entries.', schemaRef('AuditPage')) },
      errors: [400],
    }),
  },
};
