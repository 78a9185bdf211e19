import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import { LumioError, isLumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import { DEFAULT_API_LANGUAGE, describeIssue, localizeDetail, localizeMappingProblems, negotiateLanguage, type ApiLanguage, type ValidationIssue } from './i18n/index.js';

/** An RFC 9457 problem details body with this platform's stable `code`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  field?: string;
  requestId?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The request a problem is about, for the sentences that name it. */
export interface ProblemContext {
  /** Language of `detail` and of the `errors` messages; English when absent. */
  language?: ApiLanguage;
  method?: string;
}

/** Builds the problem body for an error; unexpected errors become a 500 that reveals nothing internal. */
export function toProblem(error: unknown, instance: string, requestId: string, context: ProblemContext = {}): ProblemBody {
  return buildProblem(error, instance, requestId, context).body;
}

function buildProblem(error: unknown, instance: string, requestId: string, context: ProblemContext): { body: ProblemBody; language: ApiLanguage } {
  const known = isLumioError(error) ? error : new LumioError('INTERNAL_ERROR', 'The platform failed unexpectedly; the log has the details under this request id.', { status: 500 });
  const status = known.status;
  const field = typeof known.details.field === 'string' ? known.details.field : undefined;
  const language = context.language ?? DEFAULT_API_LANGUAGE;

  const issues = Array.isArray(known.details.validationIssues) ? (known.details.validationIssues as ValidationIssue[]) : undefined;
  const params = {
    ...known.details,
    method: context.method,
    path: instance,
    ...(issues ? { first: issues[0] ? describeIssue(issues[0], language) : '', count: issues.length } : {}),
  };
  const localized = localizeDetail(known.code, language, params, known.message);

  const body: ProblemBody = {
    type: `https://docs.lumio.dev/errors/${known.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: localized.detail,
    code: known.code,
    instance,
    requestId,
  };
  if (field !== undefined) body.field = field;
  if (typeof known.details.reason === 'string') body.reason = known.details.reason;
  if (Array.isArray(known.details.problems)) {
    // Mapping problems carry codes and parameters, so they are written in the request's language like `detail`.
    body.problems = known.code === 'MAPPING_INVALID' ? localizeMappingProblems(known.details.problems, localized.language) : known.details.problems;
  }
  if (Array.isArray(known.details.issues)) body.issues = known.details.issues;
  // The validator's issues are written in the request's language, like `detail`.
  if (issues) body.errors = issues.map((issue) => ({ field: issue.field, code: issue.code, message: describeIssue(issue, language) }));
  return { body, language: issues ? language : localized.language };
}

export function respondWithProblem(c: Context, error: unknown, logger: Logger): Response {
  const requestId = String(c.get('requestId' as never) ?? '');
  const { body: problem, language } = buildProblem(error, c.req.path, requestId, { language: negotiateLanguage(c.req.header('accept-language')), method: c.req.method });

  if (problem.status >= 500) {
    logger.error({ requestId, path: c.req.path, code: problem.code, err: error }, 'request failed');
  } else {
    logger.info({ requestId, path: c.req.path, code: problem.code, status: problem.status }, 'request rejected');
  }

  // Vary marks the response as language-dependent, so caches keep one copy per Accept-Language.
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'content-language': language, vary: 'Accept-Language' };
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer';
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, headers);
}
