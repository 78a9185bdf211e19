import { randomUUID } from 'node:crypto';

/** An item of the `errors` array in a HubSpot error body. */
export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

export interface HubSpotErrorFields {
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: HubSpotErrorDetail[];
  links?: Record<string, string>;
}

/**
 * HubSpot's error envelope: `status`, `message`, `correlationId`, then the optional
 * `errors`, `context`, `links`, `category` and `subCategory`, in the order HubSpot sends them.
 */
export function errorBody(message: string, fields: HubSpotErrorFields = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { status: 'error', message, correlationId: randomUUID() };
  if (fields.errors !== undefined) {
    body.errors = fields.errors;
  }
  if (fields.context !== undefined) {
    body.context = fields.context;
  }
  if (fields.links !== undefined) {
    body.links = fields.links;
  }
  if (fields.category !== undefined) {
    body.category = fields.category;
  }
  if (fields.subCategory !== undefined) {
    body.subCategory = fields.subCategory;
  }
  return body;
}

/** Error thrown inside request handlers. The router sends `status` with `body`. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `HubSpot simulator error ${status}`);
    this.name = 'HubSpotApiError';
  }
}

// Text of HubSpot's 401 for a missing or unknown token, as integrations have logged it.
export const INVALID_AUTHENTICATION_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function invalidAuthentication(): HubSpotApiError {
  return new HubSpotApiError(401, errorBody(INVALID_AUTHENTICATION_MESSAGE, { category: 'INVALID_AUTHENTICATION' }));
}

export function expiredAuthentication(): HubSpotApiError {
  // NOTE: HubSpot's message gives how long ago the token expired, but the simulator always reports 1 hour.
  return new HubSpotApiError(
    401,
    errorBody('The OAuth token used to make this call expired 1 hour(s) ago.', { category: 'EXPIRED_AUTHENTICATION' }),
  );
}

export function validationError(message: string, fields: Omit<HubSpotErrorFields, 'category'> = {}): HubSpotApiError {
  return new HubSpotApiError(400, errorBody(message, { ...fields, category: 'VALIDATION_ERROR' }));
}

/**
 * Builds HubSpot's 404 for a single record. A non-numeric id gets "Object not found.
 * objectId are usually numeric." (two spaces) with `context.id` and `OBJECT_NOT_FOUND`.
 * A numeric id that does not exist gets "resource not found" without a category.
 */
export function recordNotFound(id: string, idIsNumeric: boolean): HubSpotApiError {
  if (idIsNumeric) {
    return new HubSpotApiError(404, errorBody('resource not found'));
  }
  return new HubSpotApiError(
    404,
    errorBody('Object not found.  objectId are usually numeric.', { context: { id: [id] }, category: 'OBJECT_NOT_FOUND' }),
  );
}

export function unknownRoute(): HubSpotApiError {
  return new HubSpotApiError(404, errorBody('resource not found'));
}

export function methodNotAllowed(method: string, path: string): HubSpotApiError {
  return new HubSpotApiError(405, errorBody(`HTTP ${method} is not supported by ${path}`, { category: 'VALIDATION_ERROR' }));
}

export function conflict(message: string): HubSpotApiError {
  return new HubSpotApiError(409, errorBody(message, { category: 'CONFLICT' }));
}

/** Builds the error item of a 207 batch response for ids that do not exist. */
export function missingObjectsError(messageLabel: string, ids: readonly string[]): Record<string, unknown> {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${messageLabel} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: [...ids] },
  };
}

/** Policies HubSpot names in a 429 body. */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

/**
 * Builds HubSpot's 429 body. Its fields (`status`, `message`, `errorType`, `correlationId`,
 * `policyName`, then `groupName` or `requestId`) follow HubSpot's documentation and
 * bodies integrations have logged. The `groupName` text is the simulator's.
 */
export function rateLimitBody(policy: RateLimitPolicy, portalId: number): Record<string, unknown> {
  const message = `You have reached your ${policy === 'TEN_SECONDLY_ROLLING' ? 'ten_secondly_rolling' : policy.toLowerCase()} limit.`;
  const body: Record<string, unknown> = {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
  };

  if (policy === 'DAILY') {
    body.requestId = randomUUID();
  } else if (policy === 'SECONDLY') {
    body.groupName = `publicapi:crm-search-secondly:${portalId}`;
  } else {
    body.groupName = `publicapi:private-app-api-calls-ten-secondly:${portalId}`;
  }
  return body;
}

/** Builds the default body for an injected failure with `status`. */
export function injectedFailureBody(status: number, portalId: number): Record<string, unknown> {
  if (status === 429) {
    return rateLimitBody('TEN_SECONDLY_ROLLING', portalId);
  }
  if (status >= 500) {
    return errorBody('internal error', { category: 'INTERNAL_ERROR' });
  }
  return errorBody(`Injected failure with status ${status}`, { category: 'VALIDATION_ERROR' });
}
