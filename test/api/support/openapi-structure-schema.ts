/**
 * The rules of the OpenAPI 3.1 specification (https://spec.openapis.org/oas/v3.1.0) that
 * this document touches, written as a JSON Schema 2020-12 from the specification text. It
 * checks required fields, allowed fields with `x-` extensions, parameter locations, required
 * path parameters, response status keys and security scheme types. Schema Objects themselves
 * are checked by compiling them with ajv.
 */

const extensions = { '^x-': {} };

const reference = {
  type: 'object',
  required: ['$ref'],
  properties: { $ref: { type: 'string', format: 'uri-reference' }, summary: { type: 'string' }, description: { type: 'string' } },
  additionalProperties: false,
};

const orReference = (definition: string) => ({ if: { type: 'object', required: ['$ref'] }, then: { $ref: '#/$defs/reference' }, else: { $ref: `#/$defs/${definition}` } });

const mapOf = (definition: string) => ({ type: 'object', additionalProperties: orReference(definition) });

export const openApiStructureSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info'],
  anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+(-.+)?$' },
    info: { $ref: '#/$defs/info' },
    jsonSchemaDialect: { type: 'string', format: 'uri' },
    servers: { type: 'array', items: { $ref: '#/$defs/server' } },
    paths: { type: 'object', patternProperties: { '^/': { $ref: '#/$defs/pathItem' }, ...extensions }, additionalProperties: false },
    webhooks: mapOf('pathItem'),
    components: { $ref: '#/$defs/components' },
    security: { type: 'array', items: { $ref: '#/$defs/securityRequirement' } },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
    externalDocs: { type: 'object', required: ['url'] },
  },
  patternProperties: extensions,
  additionalProperties: false,
  $defs: {
    reference,
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: {
        title: { type: 'string' },
        summary: { type: 'string' },
        description: { type: 'string' },
        termsOfService: { type: 'string', format: 'uri' },
        contact: { type: 'object' },
        license: { type: 'object', required: ['name'] },
        version: { type: 'string' },
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    server: {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string' }, description: { type: 'string' }, variables: { type: 'object' } },
      patternProperties: extensions,
      additionalProperties: false,
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
        responses: mapOf('response'),
        parameters: mapOf('parameter'),
        examples: { type: 'object' },
        requestBodies: mapOf('requestBody'),
        headers: mapOf('header'),
        securitySchemes: mapOf('securityScheme'),
        links: { type: 'object' },
        callbacks: { type: 'object' },
        pathItems: mapOf('pathItem'),
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    pathItem: {
      type: 'object',
      properties: {
        $ref: { type: 'string' },
        summary: { type: 'string' },
        description: { type: 'string' },
        servers: { type: 'array', items: { $ref: '#/$defs/server' } },
        parameters: { type: 'array', items: orReference('parameter') },
        get: { $ref: '#/$defs/operation' },
        put: { $ref: '#/$defs/operation' },
        post: { $ref: '#/$defs/operation' },
        delete: { $ref: '#/$defs/operation' },
        options: { $ref: '#/$defs/operation' },
        head: { $ref: '#/$defs/operation' },
        patch: { $ref: '#/$defs/operation' },
        trace: { $ref: '#/$defs/operation' },
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    operation: {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        description: { type: 'string' },
        externalDocs: { type: 'object' },
        operationId: { type: 'string' },
        parameters: { type: 'array', items: orReference('parameter') },
        requestBody: orReference('requestBody'),
        responses: {
          type: 'object',
          minProperties: 1,
          properties: { default: orReference('response') },
          patternProperties: { '^[1-5](?:[0-9]{2}|XX)$': orReference('response'), ...extensions },
          additionalProperties: false,
        },
        callbacks: { type: 'object' },
        deprecated: { type: 'boolean' },
        security: { type: 'array', items: { $ref: '#/$defs/securityRequirement' } },
        servers: { type: 'array', items: { $ref: '#/$defs/server' } },
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      properties: {
        name: { type: 'string' },
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        description: { type: 'string' },
        required: { type: 'boolean' },
        deprecated: { type: 'boolean' },
        allowEmptyValue: { type: 'boolean' },
        style: { type: 'string' },
        explode: { type: 'boolean' },
        allowReserved: { type: 'boolean' },
        schema: { type: ['object', 'boolean'] },
        content: { type: 'object', minProperties: 1, maxProperties: 1 },
        example: {},
        examples: { type: 'object' },
      },
      // Path parameters must be marked required.
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
      patternProperties: extensions,
      additionalProperties: false,
    },
    requestBody: {
      type: 'object',
      required: ['content'],
      properties: { description: { type: 'string' }, content: { type: 'object', additionalProperties: { $ref: '#/$defs/mediaType' } }, required: { type: 'boolean' } },
      patternProperties: extensions,
      additionalProperties: false,
    },
    mediaType: {
      type: 'object',
      properties: { schema: { type: ['object', 'boolean'] }, example: {}, examples: { type: 'object' }, encoding: { type: 'object' } },
      patternProperties: extensions,
      additionalProperties: false,
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: {
        description: { type: 'string' },
        headers: { type: 'object', additionalProperties: orReference('header') },
        content: { type: 'object', additionalProperties: { $ref: '#/$defs/mediaType' } },
        links: { type: 'object' },
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    header: {
      type: 'object',
      oneOf: [{ required: ['schema'] }, { required: ['content'] }],
      properties: { description: { type: 'string' }, required: { type: 'boolean' }, deprecated: { type: 'boolean' }, schema: { type: ['object', 'boolean'] }, content: { type: 'object' }, style: { const: 'simple' }, explode: { type: 'boolean' }, example: {}, examples: { type: 'object' } },
      patternProperties: extensions,
      additionalProperties: false,
    },
    securityScheme: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
        description: { type: 'string' },
        name: { type: 'string' },
        in: { enum: ['query', 'header', 'cookie'] },
        scheme: { type: 'string' },
        bearerFormat: { type: 'string' },
        flows: { type: 'object' },
        openIdConnectUrl: { type: 'string', format: 'uri' },
      },
      allOf: [
        { if: { properties: { type: { const: 'apiKey' } } }, then: { required: ['name', 'in'] } },
        { if: { properties: { type: { const: 'http' } } }, then: { required: ['scheme'] } },
        { if: { properties: { type: { const: 'oauth2' } } }, then: { required: ['flows'] } },
        { if: { properties: { type: { const: 'openIdConnect' } } }, then: { required: ['openIdConnectUrl'] } },
      ],
      patternProperties: extensions,
      additionalProperties: false,
    },
    securityRequirement: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    tag: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, description: { type: 'string' }, externalDocs: { type: 'object' } },
      patternProperties: extensions,
      additionalProperties: false,
    },
  },
};
