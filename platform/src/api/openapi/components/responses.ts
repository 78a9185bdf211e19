import { problemResponseNames } from '../builders.js';

const TITLES: Record<number, string> = {
  400: 'The request is invalid: `REQUEST_INVALID` with `errors` when the body breaks the schema, or the code of the check that failed.',
  401: 'No valid API key or session (`AUTHENTICATION_REQUIRED`, `AUTHENTICATION_INVALID`).',
  403: 'The caller lacks the permission this operation needs (`PERMISSION_DENIED`), or a session request lacks its CSRF token (`CSRF_TOKEN_INVALID`).',
  404: 'Not found, or it belongs to another workspace.',
  405: 'The method is not allowed here.',
  409: 'Conflicts with the current state.',
  410: 'No longer available.',
  413: 'The body is larger than 1 MiB (`BODY_TOO_LARGE`).',
  415: 'The body is not JSON (`CONTENT_TYPE_UNSUPPORTED`).',
  422: 'Well-formed but not acceptable, for example refused by the provider.',
  429: 'Too many requests; `Retry-After` says when to try again.',
  500: 'The platform failed; the log has the details under `requestId`.',
  502: 'The provider failed or could not be reached.',
  503: 'A dependency of the platform is unavailable.',
};

/** Builds one problem-details response per status, shared by every operation. */
export function problemResponses(): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, name] of Object.entries(problemResponseNames())) {
    responses[name] = {
      description: TITLES[Number(status)] ?? 'A problem.',
      headers: {
        'Content-Language': { description: 'The language of `detail`: `pt-BR` or `en`.', schema: { type: 'string', enum: ['pt-BR', 'en'] } },
      },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return responses;
}
