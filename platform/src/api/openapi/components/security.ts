/** Authentication schemes of the API. A session request that changes something also sends its CSRF token. */
export const securitySchemes = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'Lumio API key',
    description: '`Authorization: Bearer <key>`. Keys are shown once when created and stored hashed; their scopes are permissions.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'lumio_session',
    description: 'The studio session cookie that `POST /v1/session` sets.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'The `csrfToken` of the session. Needed with the session cookie on every method except GET, HEAD and OPTIONS; API-key requests need none.',
  },
};
