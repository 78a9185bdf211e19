import { arrayOf, nullableString, objectOf, schemaRef, type SchemaObject } from '../builders.js';

/** The error body of every endpoint, and the page fields of every list. */
export const commonSchemas: Record<string, SchemaObject> = {
  Problem: {
    type: 'object',
    description:
      'An RFC 9457 problem details body. `code` is stable and meant for programs; `detail` is a sentence for people, in the language `Accept-Language` selects (pt-BR or English), which the `Content-Language` header names.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', format: 'uri', description: 'URI naming the kind of problem, derived from `code`.' },
      title: { type: 'string', description: 'The HTTP status phrase.' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string', description: 'What failed, on which value, and what to do.' },
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable machine code, such as `REQUEST_INVALID` or `INTEGRATION_NOT_FOUND`.' },
      instance: { type: 'string', description: 'The request path.' },
      requestId: { type: 'string', description: 'The `x-request-id` of the request, to find it in the logs.' },
      field: {
        type: 'string',
        description: 'The request field at fault. `REQUEST_INVALID` names it by JSON pointer (`/schedules/0/every`); older codes name it by dot path (`schedules[0].every`).',
      },
      errors: arrayOf(schemaRef('ValidationError'), 'Every schema violation of a `REQUEST_INVALID` request, first one first.'),
      problems: arrayOf(
        {
          type: 'object',
          properties: {
            field: { type: 'string' },
            path: { type: 'string' },
            code: { type: 'string', description: 'Kind of mapping problem, such as `TYPE_MISMATCH` or `REQUIRED_FIELD_UNMAPPED`.' },
            params: { type: 'object', additionalProperties: { type: ['string', 'number'] }, description: 'Values the mapping problem names, such as the field and the expected type.' },
            message: { type: 'string' },
          },
        },
        'Every problem of a request that an endpoint checked itself (write requests, connection config, mappings). Mapping problems are written in the language of `Accept-Language`.',
      ),
      issues: { type: ['array', 'integer'], description: 'Problems of a connector manifest.' },
      reason: { type: 'string' },
    },
  },
  ValidationError: objectOf(
    {
      field: { type: 'string', description: 'JSON pointer (RFC 6901) of the value in the request body; empty for the body itself.' },
      code: {
        type: 'string',
        enum: ['FIELD_REQUIRED', 'FIELD_UNKNOWN', 'FIELD_TYPE_INVALID', 'FIELD_VALUE_NOT_ALLOWED', 'FIELD_OUT_OF_RANGE', 'FIELD_FORMAT_INVALID', 'FIELD_INVALID'],
      },
      message: { type: 'string', description: 'One sentence in the language of the problem.' },
    },
    { description: 'One way the request body breaks the operation\'s schema.' },
  ),
  ErrorSummary: {
    type: ['object', 'null'],
    description: 'The last error, or null when there is none.',
    properties: { code: { type: 'string' }, message: nullableString },
  },
};

