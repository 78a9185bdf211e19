// Generated from schemas/**/*.schema.json by plugin-sdk/scripts/generate-types.ts. Do not edit:
// change the schema and run `npm run generate:types` instead.

import type { CanonicalObjectName } from './field-mapping.js';

/** A JSON Schema (draft 2020-12) document from the schemas/ folder. */
export interface SchemaDocument {
  readonly $schema: string;
  readonly $id: string;
  readonly title: string;
  readonly [keyword: string]: unknown;
}

/** schemas/connector-manifest.schema.json */
export const connectorManifestSchema: SchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.lumio.dev/connector-manifest.schema.json",
  "title": "ConnectorManifest",
  "description": "A Lumio connector manifest (manifest.json): how to connect and authenticate to one provider, which objects and actions it offers, how its requests are paginated, rate limited and retried, and how its records map to Lumio canonical objects.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "manifestVersion",
    "id",
    "name",
    "version",
    "category",
    "description",
    "connection",
    "auth",
    "objects"
  ],
  "properties": {
    "$schema": {
      "description": "URI or relative path of this JSON Schema, so that editors can validate and complete the file. Ignored by Lumio.",
      "type": "string",
      "format": "uri-reference"
    },
    "manifestVersion": {
      "description": "Version of the manifest format this document follows. Lumio uses it to migrate older manifests. The only version is 1.",
      "const": 1
    },
    "id": {
      "description": "Stable connector id: a lower-case letter followed by 1 to 62 lower-case letters, digits or hyphens, e.g. \"hubspot\". Connections and stored mappings refer to it, so it never changes.",
      "type": "string",
      "pattern": "^[a-z][a-z0-9-]{1,62}$"
    },
    "name": {
      "description": "Display name of the provider, e.g. \"HubSpot\".",
      "type": "string",
      "minLength": 1,
      "maxLength": 100
    },
    "version": {
      "description": "Semantic version (https://semver.org) of this connector definition, e.g. \"1.4.0\". Raise the major version when a change breaks existing connections or mappings.",
      "type": "string",
      "pattern": "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$"
    },
    "category": {
      "description": "Catalog category the connector is listed under.",
      "type": "string",
      "enum": [
        "crm",
        "ecommerce",
        "communication",
        "marketing",
        "notifications",
        "networking",
        "sales",
        "other"
      ]
    },
    "description": {
      "description": "One or two sentences shown in the connector catalog.",
      "type": "string",
      "minLength": 1,
      "maxLength": 500
    },
    "documentationUrl": {
      "description": "Absolute URL of the provider's API documentation. Default: none.",
      "type": "string",
      "format": "uri"
    },
    "connection": {
      "$ref": "#/$defs/ConnectionDefinition",
      "description": "Settings a connection supplies, the base URL, the hosts requests may reach and the connection test."
    },
    "auth": {
      "description": "Authentication methods the provider accepts. The first one is the default when a connection names none.",
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/AuthMethod"
      }
    },
    "rateLimits": {
      "$ref": "#/$defs/RateLimits",
      "description": "Request budgets enforced before requests are sent, and the response headers that report the provider's remaining quota. Default: no client-side limit."
    },
    "retry": {
      "$ref": "#/$defs/RetryPolicy",
      "description": "When and how failed requests are retried. Default: the defaults of each RetryPolicy field."
    },
    "objects": {
      "description": "Record types the connector reads and writes, by key. A key starts with a lower-case letter followed by letters, digits or underscores, e.g. \"contacts\".",
      "type": "object",
      "minProperties": 1,
      "propertyNames": {
        "pattern": "^[a-z][a-zA-Z0-9_]*$"
      },
      "additionalProperties": {
        "$ref": "#/$defs/ObjectDefinition"
      }
    },
    "actions": {
      "description": "One-off operations the connector offers, by key, e.g. \"sendMessage\". Keys follow the same rule as `objects` keys. Default: none.",
      "type": "object",
      "propertyNames": {
        "pattern": "^[a-z][a-zA-Z0-9_]*$"
      },
      "additionalProperties": {
        "$ref": "#/$defs/ActionDefinition"
      }
    },
    "webhooks": {
      "$ref": "#/$defs/WebhookDefinition",
      "description": "How the provider's webhook deliveries are verified, split into events and routed to objects. Default: the connector receives no webhooks."
    },
    "mappings": {
      "description": "Default field mappings from connector objects to canonical objects, offered when a connection is created. Default: none.",
      "type": "array",
      "items": {
        "$ref": "#/$defs/DefaultMapping"
      }
    },
    "plugin": {
      "$ref": "#/$defs/PluginEntry",
      "description": "Sandboxed code for behaviour the manifest cannot declare. Default: none, so the connector is declared only."
    }
  },
  "$defs": {
    "ConnectionDefinition": {
      "title": "ConnectionDefinition",
      "description": "What a connection must supply and where its requests go.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "configSchema",
        "baseUrl"
      ],
      "properties": {
        "configSchema": {
          "$ref": "#/$defs/ConfigSchema",
          "description": "Settings each connection supplies, such as a shop domain or data center. Templates read them as `config.<name>`."
        },
        "baseUrl": {
          "description": "Template of the URL that every request path is appended to, e.g. \"https://{{ config.shop }}.myshopify.com/admin/api/2024-10\". Only `config.<name>` variables are available.",
          "type": "string",
          "minLength": 1
        },
        "allowedHosts": {
          "description": "Templates of host names, besides the host of `baseUrl`, that requests and next-page URLs may reach, e.g. \"api.hubapi.com\". Default: none.",
          "type": "array",
          "items": {
            "description": "Host name template, without scheme or path. Only `config.<name>` variables are available.",
            "type": "string",
            "minLength": 1
          }
        },
        "test": {
          "$ref": "#/$defs/ConnectionTest",
          "description": "Request that checks a new connection. Default: none, so a connection is not tested when it is saved."
        }
      }
    },
    "ConfigSchema": {
      "title": "ConfigSchema",
      "description": "A restricted JSON Schema object that lists the settings a connection supplies.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "properties"
      ],
      "properties": {
        "type": {
          "description": "Always \"object\".",
          "const": "object"
        },
        "properties": {
          "description": "Settings by name. A name starts with a letter followed by letters, digits or underscores, so that templates can read it as `config.<name>`.",
          "type": "object",
          "propertyNames": {
            "pattern": "^[A-Za-z][A-Za-z0-9_]*$"
          },
          "additionalProperties": {
            "$ref": "#/$defs/ConfigField"
          }
        },
        "required": {
          "description": "Names of settings a connection must supply. Default: none.",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "Name of a setting in `properties`.",
            "type": "string"
          }
        }
      }
    },
    "ConfigField": {
      "title": "ConfigField",
      "description": "One connection setting.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "description"
      ],
      "properties": {
        "type": {
          "description": "JSON type of the value.",
          "type": "string",
          "enum": [
            "string",
            "number",
            "integer",
            "boolean"
          ]
        },
        "title": {
          "description": "Label shown in the connection form. Default: the setting's name.",
          "type": "string"
        },
        "description": {
          "description": "Help text shown under the field in the connection form.",
          "type": "string",
          "minLength": 1
        },
        "default": {
          "description": "Value used when the connection supplies none. Default: none.",
          "type": [
            "string",
            "number",
            "boolean"
          ]
        },
        "enum": {
          "description": "Allowed values, shown as a choice list. Default: any value of `type`.",
          "type": "array",
          "minItems": 1,
          "items": {
            "description": "One allowed value.",
            "type": [
              "string",
              "number"
            ]
          }
        },
        "pattern": {
          "description": "ECMAScript regular expression a string value must match. Default: none.",
          "type": "string",
          "format": "regex"
        },
        "format": {
          "description": "Format a string value must have. Default: none.",
          "type": "string",
          "enum": [
            "uri",
            "hostname",
            "email"
          ]
        },
        "secret": {
          "description": "When true, the value is stored encrypted with the credentials and never returned by the API. Default: false.",
          "type": "boolean"
        }
      }
    },
    "ConnectionTest": {
      "title": "ConnectionTest",
      "description": "How a connection is checked after it is saved.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "request"
      ],
      "properties": {
        "request": {
          "$ref": "#/$defs/RequestTemplate",
          "description": "A cheap authenticated request. A 2xx status means the connection works. Only `config.<name>` variables are available."
        }
      }
    },
    "AuthMethod": {
      "title": "AuthMethod",
      "description": "One way of authenticating to the provider, chosen by `type`.",
      "oneOf": [
        {
          "$ref": "#/$defs/ApiKeyAuth"
        },
        {
          "$ref": "#/$defs/BasicAuth"
        },
        {
          "$ref": "#/$defs/BearerAuth"
        },
        {
          "$ref": "#/$defs/OAuth2AuthorizationCodeAuth"
        },
        {
          "$ref": "#/$defs/OAuth2ClientCredentialsAuth"
        }
      ]
    },
    "ApiKeyAuth": {
      "title": "ApiKeyAuth",
      "description": "A static API key sent in a header or a query parameter.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "in",
        "name"
      ],
      "properties": {
        "type": {
          "description": "Authentication method.",
          "const": "apiKey"
        },
        "in": {
          "description": "Where the key is sent.",
          "type": "string",
          "enum": [
            "header",
            "query"
          ]
        },
        "name": {
          "description": "Header or query parameter name, e.g. \"X-Api-Key\" or \"api_key\".",
          "type": "string",
          "minLength": 1
        },
        "prefix": {
          "description": "Text sent before the key, e.g. \"Token \" (include any space). Default: none.",
          "type": "string"
        },
        "credentialField": {
          "description": "Key of the API key in the credentials a connection supplies. Default: \"apiKey\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "BasicAuth": {
      "title": "BasicAuth",
      "description": "HTTP Basic authentication (RFC 7617) with a user name and password from the credentials.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Authentication method.",
          "const": "basic"
        },
        "usernameField": {
          "description": "Key of the user name in the credentials. Default: \"username\".",
          "type": "string",
          "minLength": 1
        },
        "passwordField": {
          "description": "Key of the password in the credentials. Default: \"password\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "BearerAuth": {
      "title": "BearerAuth",
      "description": "A static token sent as \"Authorization: Bearer <token>\", such as a private app token.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Authentication method.",
          "const": "bearer"
        },
        "credentialField": {
          "description": "Key of the token in the credentials. Default: \"accessToken\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "OAuth2AuthorizationCodeAuth": {
      "title": "OAuth2AuthorizationCodeAuth",
      "description": "OAuth 2.0 authorization code grant (RFC 6749 section 4.1): a user grants access in the browser and Lumio keeps and refreshes the tokens.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "authorizationUrl",
        "tokenUrl",
        "scopes",
        "pkce",
        "refresh"
      ],
      "properties": {
        "type": {
          "description": "Authentication method.",
          "const": "oauth2AuthorizationCode"
        },
        "authorizationUrl": {
          "description": "Template of the authorization endpoint the user is sent to. Only `config.<name>` variables are available.",
          "type": "string",
          "minLength": 1
        },
        "tokenUrl": {
          "description": "Template of the token endpoint. Only `config.<name>` variables are available.",
          "type": "string",
          "minLength": 1
        },
        "scopes": {
          "description": "Scopes requested, joined with `scopeSeparator`. May be empty.",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "One scope name.",
            "type": "string",
            "minLength": 1
          }
        },
        "scopeSeparator": {
          "description": "Text that joins scopes in the request. Default: \" \" (one space).",
          "type": "string"
        },
        "pkce": {
          "description": "When true, the authorization request uses PKCE (RFC 7636) with the S256 method.",
          "type": "boolean"
        },
        "clientAuthentication": {
          "description": "How the client id and secret reach the token endpoint: \"body\" as form fields, \"basic\" in an HTTP Basic header. Default: \"body\".",
          "type": "string",
          "enum": [
            "body",
            "basic"
          ]
        },
        "extraAuthorizationParams": {
          "description": "Extra query parameters of the authorization URL, by name, e.g. { \"access_type\": \"offline\" }. Values are templates over `config.<name>`. Default: none.",
          "type": "object",
          "propertyNames": {
            "pattern": "^\\S+$"
          },
          "additionalProperties": {
            "description": "Parameter value template.",
            "type": "string"
          }
        },
        "tokenFields": {
          "$ref": "#/$defs/TokenFields",
          "description": "Where the token response carries each value. Default: the RFC 6749 names."
        },
        "refresh": {
          "$ref": "#/$defs/RefreshRules",
          "description": "When the access token is refreshed."
        },
        "connectionFields": {
          "description": "Token response fields kept as connection settings, e.g. Salesforce \"instance_url\" or Pipedrive \"api_domain\". Templates read them as `config.<name>`. Default: none.",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "Top-level field name in the token response.",
            "type": "string",
            "pattern": "^[A-Za-z][A-Za-z0-9_]*$"
          }
        }
      }
    },
    "OAuth2ClientCredentialsAuth": {
      "title": "OAuth2ClientCredentialsAuth",
      "description": "OAuth 2.0 client credentials grant (RFC 6749 section 4.4): Lumio exchanges a client id and secret for an access token.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "tokenUrl",
        "refresh"
      ],
      "properties": {
        "type": {
          "description": "Authentication method.",
          "const": "oauth2ClientCredentials"
        },
        "tokenUrl": {
          "description": "Template of the token endpoint. Only `config.<name>` variables are available.",
          "type": "string",
          "minLength": 1
        },
        "scopes": {
          "description": "Scopes requested. Default: none, so no scope parameter is sent.",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "One scope name.",
            "type": "string",
            "minLength": 1
          }
        },
        "scopeSeparator": {
          "description": "Text that joins scopes in the request. Default: \" \" (one space).",
          "type": "string"
        },
        "clientAuthentication": {
          "description": "How the client id and secret reach the token endpoint: \"body\" as form fields, \"basic\" in an HTTP Basic header. Default: \"body\".",
          "type": "string",
          "enum": [
            "body",
            "basic"
          ]
        },
        "tokenFields": {
          "$ref": "#/$defs/TokenFields",
          "description": "Where the token response carries each value. Default: the RFC 6749 names."
        },
        "refresh": {
          "$ref": "#/$defs/RefreshRules",
          "description": "When a new access token is requested."
        }
      }
    },
    "TokenFields": {
      "title": "TokenFields",
      "description": "Names of the token response fields, for providers that differ from RFC 6749.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "accessToken": {
          "description": "Dot path of the access token. Default: \"access_token\".",
          "type": "string",
          "minLength": 1
        },
        "refreshToken": {
          "description": "Dot path of the refresh token. Default: \"refresh_token\".",
          "type": "string",
          "minLength": 1
        },
        "expiresIn": {
          "description": "Dot path of the access token lifetime in seconds. Default: \"expires_in\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "RefreshRules": {
      "title": "RefreshRules",
      "description": "When an access token counts as expired and is refreshed.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "refreshBeforeSeconds": {
          "description": "Seconds before the known expiry at which the token is refreshed. Default: 300.",
          "type": "integer",
          "minimum": 0
        },
        "defaultExpiresInSeconds": {
          "description": "Token lifetime in seconds assumed when the token response has no expiry. Default: none, so such a token is refreshed only when a response matches `expiredWhen`.",
          "type": "integer",
          "minimum": 1
        },
        "expiredWhen": {
          "description": "Responses that mean the access token has expired. Any one matching triggers a refresh and one retry. Default: [{ \"status\": 401 }].",
          "type": "array",
          "items": {
            "$ref": "#/$defs/ResponseCondition"
          }
        },
        "rotatesRefreshToken": {
          "description": "When true, a token response may carry a new refresh token that replaces the stored one. Default: false.",
          "type": "boolean"
        }
      }
    },
    "ResponseCondition": {
      "title": "ResponseCondition",
      "description": "A test on an HTTP response. It matches when every given part matches. `equals` and `oneOf` need `bodyPath`.",
      "type": "object",
      "additionalProperties": false,
      "minProperties": 1,
      "properties": {
        "status": {
          "description": "HTTP status code the response must have. Default: any status.",
          "type": "integer",
          "minimum": 100,
          "maximum": 599
        },
        "bodyPath": {
          "description": "Dot path of a value in the JSON body, e.g. \"errors.0.errorCode\". Alone, it matches when the value is present and not null.",
          "type": "string",
          "minLength": 1
        },
        "equals": {
          "description": "Value the body value at `bodyPath` must equal.",
          "type": [
            "string",
            "number",
            "boolean"
          ]
        },
        "oneOf": {
          "description": "Values one of which the body value at `bodyPath` must equal.",
          "type": "array",
          "minItems": 1,
          "items": {
            "description": "One accepted value.",
            "type": [
              "string",
              "number",
              "boolean"
            ]
          }
        }
      },
      "dependentRequired": {
        "equals": [
          "bodyPath"
        ],
        "oneOf": [
          "bodyPath"
        ]
      }
    },
    "RateLimits": {
      "title": "RateLimits",
      "description": "Client-side request budgets and the provider's quota headers.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "budgets"
      ],
      "properties": {
        "budgets": {
          "description": "Budgets that every request must fit. A request waits until each budget that applies to it has room.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/RateLimitBudget"
          }
        },
        "quotaHeaders": {
          "$ref": "#/$defs/QuotaHeaders",
          "description": "Response headers that report the remaining quota, used to slow down before the provider responds with 429. Default: none."
        }
      }
    },
    "RateLimitBudget": {
      "title": "RateLimitBudget",
      "description": "One request budget, e.g. HubSpot's 100 requests per 10 seconds per app install.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name",
        "scope",
        "algorithm",
        "limit",
        "intervalMs"
      ],
      "properties": {
        "name": {
          "description": "Budget name, shown in logs and metrics.",
          "type": "string",
          "minLength": 1
        },
        "scope": {
          "description": "What shares the budget: \"connection\" (one connection), \"account\" (all connections to one provider account) or \"endpointGroup\" (requests of one connection whose RequestTemplate names `endpointGroup`).",
          "type": "string",
          "enum": [
            "connection",
            "account",
            "endpointGroup"
          ]
        },
        "endpointGroup": {
          "description": "Endpoint group this budget limits. It matches `endpointGroup` in request templates. Required when `scope` is \"endpointGroup\".",
          "type": "string",
          "minLength": 1
        },
        "algorithm": {
          "description": "\"tokenBucket\" refills continuously and allows bursts up to `limit`. \"slidingWindow\" allows at most `limit` requests in any `intervalMs` window.",
          "type": "string",
          "enum": [
            "tokenBucket",
            "slidingWindow"
          ]
        },
        "limit": {
          "description": "Requests per window (sliding window) or bucket capacity in requests (token bucket).",
          "type": "integer",
          "minimum": 1
        },
        "intervalMs": {
          "description": "Window length, or time to refill an empty bucket, in milliseconds.",
          "type": "integer",
          "minimum": 1
        }
      },
      "if": {
        "properties": {
          "scope": {
            "const": "endpointGroup"
          }
        },
        "required": [
          "scope"
        ]
      },
      "then": {
        "required": [
          "endpointGroup"
        ]
      }
    },
    "QuotaHeaders": {
      "title": "QuotaHeaders",
      "description": "Names and format of the response headers that report the provider's quota.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "format": {
          "description": "How the headers are written: \"plain\" numbers in separate headers, \"shopifyCallLimit\" (\"used/limit\" in `remaining`, e.g. \"32/40\") or \"sforceLimitInfo\" (\"api-usage=used/limit\" in `remaining`). Default: \"plain\".",
          "type": "string",
          "enum": [
            "plain",
            "shopifyCallLimit",
            "sforceLimitInfo"
          ]
        },
        "remaining": {
          "description": "Header with the requests left in the current window, e.g. \"X-HubSpot-RateLimit-Remaining\". Default: none.",
          "type": "string",
          "minLength": 1
        },
        "limit": {
          "description": "Header with the window's total requests, e.g. \"X-HubSpot-RateLimit-Max\". Default: none.",
          "type": "string",
          "minLength": 1
        },
        "intervalMs": {
          "description": "Header with the window length in milliseconds, e.g. \"X-HubSpot-RateLimit-Interval-Milliseconds\". Default: none.",
          "type": "string",
          "minLength": 1
        },
        "reset": {
          "description": "Header that tells when the window resets, in `resetUnit`. Default: none.",
          "type": "string",
          "minLength": 1
        },
        "resetUnit": {
          "description": "Unit of the `reset` header: a delay in \"seconds\" or \"milliseconds\", or an instant in \"epochSeconds\" or \"epochMilliseconds\". Default: \"seconds\".",
          "type": "string",
          "enum": [
            "seconds",
            "milliseconds",
            "epochSeconds",
            "epochMilliseconds"
          ]
        }
      }
    },
    "RetryPolicy": {
      "title": "RetryPolicy",
      "description": "Retries with exponential backoff and full jitter. A wait header from the provider takes precedence over the computed delay.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "maxAttempts": {
          "description": "Retries after the first attempt. Default: 5.",
          "type": "integer",
          "minimum": 0,
          "maximum": 20
        },
        "baseDelayMs": {
          "description": "Delay before the first retry in milliseconds, doubled for each later retry. Default: 1000.",
          "type": "integer",
          "minimum": 0
        },
        "maxDelayMs": {
          "description": "Upper bound of one delay in milliseconds. Default: 16000.",
          "type": "integer",
          "minimum": 0
        },
        "retryableStatuses": {
          "description": "HTTP statuses retried with backoff. Default: [429, 502, 503, 504].",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "HTTP status code.",
            "type": "integer",
            "minimum": 100,
            "maximum": 599
          }
        },
        "rateLimitedStatuses": {
          "description": "HTTP statuses that mean the rate limit was hit, so the limiter also slows down. Default: [429].",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "HTTP status code.",
            "type": "integer",
            "minimum": 100,
            "maximum": 599
          }
        },
        "authExpiredStatuses": {
          "description": "HTTP statuses that mean the access token expired, so it is refreshed before one retry. Default: [401].",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "HTTP status code.",
            "type": "integer",
            "minimum": 100,
            "maximum": 599
          }
        },
        "retryOnNetworkError": {
          "description": "When true, connection resets and timeouts are retried. Default: true.",
          "type": "boolean"
        },
        "waitHeader": {
          "description": "Response header with the time to wait before retrying, in seconds or as an HTTP-date. Default: \"Retry-After\".",
          "type": "string",
          "minLength": 1
        },
        "bodyRules": {
          "description": "Rules that classify a response by its body, e.g. a THROTTLED error inside a 200 response. The first matching rule wins. Default: none.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/RetryBodyRule"
          }
        }
      }
    },
    "RetryBodyRule": {
      "title": "RetryBodyRule",
      "description": "A response test and how a matching response is treated.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "when",
        "outcome"
      ],
      "properties": {
        "when": {
          "$ref": "#/$defs/ResponseCondition",
          "description": "Test on the response."
        },
        "outcome": {
          "description": "\"retryable\" retries with backoff, \"rateLimited\" retries and slows the limiter, \"authExpired\" refreshes the token and retries once, \"fatal\" fails without retrying.",
          "type": "string",
          "enum": [
            "retryable",
            "rateLimited",
            "authExpired",
            "fatal"
          ]
        }
      }
    },
    "ObjectDefinition": {
      "title": "ObjectDefinition",
      "description": "One record type of the provider and the operations on it.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "label",
        "description",
        "recordSchema",
        "primaryKey",
        "operations"
      ],
      "properties": {
        "label": {
          "description": "Plural display name, e.g. \"Contacts\".",
          "type": "string",
          "minLength": 1
        },
        "description": {
          "description": "What a record of this object is, shown in the mapping studio.",
          "type": "string",
          "minLength": 1
        },
        "recordSchema": {
          "$ref": "#/$defs/RecordSchema",
          "description": "Shape of one provider record, for the studio's field list and for validation."
        },
        "primaryKey": {
          "description": "Dot path of the record's id in a provider record, e.g. \"id\".",
          "type": "string",
          "minLength": 1
        },
        "operations": {
          "$ref": "#/$defs/ObjectOperations",
          "description": "Requests that read and write records."
        },
        "incremental": {
          "$ref": "#/$defs/IncrementalSync",
          "description": "How changed records are read since the last sync. Default: none, so every sync is a full sync."
        },
        "deletions": {
          "$ref": "#/$defs/DeletionDetection",
          "description": "How deleted records are detected. Default: none, so deletions are not detected."
        },
        "cacheTtlSeconds": {
          "description": "Seconds a record read by `get` may be served from cache. Default: 0 (no cache).",
          "type": "integer",
          "minimum": 0
        },
        "cacheFromRecordStore": {
          "description": "Whether a `get` read that misses the response cache may be answered by the record as syncs and webhook events stored it, when it was stored less than `cacheTtlSeconds` ago. Set it only when the provider returns a record from `get` in the same shape as in list pages. Needs `cacheTtlSeconds` and a `get` operation. Default: false.",
          "type": "boolean"
        }
      }
    },
    "RecordSchema": {
      "title": "RecordSchema",
      "description": "A restricted JSON Schema object: the fields of a record, with nested objects and arrays allowed.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "properties"
      ],
      "properties": {
        "type": {
          "description": "Always \"object\".",
          "const": "object"
        },
        "properties": {
          "description": "Fields by name. A name may not contain \".\", \"[\" or \"]\" because those build dot paths.",
          "type": "object",
          "propertyNames": {
            "pattern": "^[^.\\[\\]]+$"
          },
          "additionalProperties": {
            "$ref": "#/$defs/RecordField"
          }
        }
      }
    },
    "RecordField": {
      "title": "RecordField",
      "description": "One field of a record.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "JSON type of the value, or a list of types, e.g. [\"string\", \"null\"].",
          "oneOf": [
            {
              "type": "string",
              "enum": [
                "string",
                "number",
                "integer",
                "boolean",
                "object",
                "array",
                "null"
              ]
            },
            {
              "type": "array",
              "minItems": 1,
              "uniqueItems": true,
              "items": {
                "type": "string",
                "enum": [
                  "string",
                  "number",
                  "integer",
                  "boolean",
                  "object",
                  "array",
                  "null"
                ]
              }
            }
          ]
        },
        "description": {
          "description": "Description of the field, shown in the mapping studio. Default: none.",
          "type": "string"
        },
        "format": {
          "description": "JSON Schema format of a string value, e.g. \"date-time\" or \"email\". Default: none.",
          "type": "string",
          "minLength": 1
        },
        "properties": {
          "description": "Fields of an object value, by name, with the same naming rule as RecordSchema. Default: none.",
          "type": "object",
          "propertyNames": {
            "pattern": "^[^.\\[\\]]+$"
          },
          "additionalProperties": {
            "$ref": "#/$defs/RecordField"
          }
        },
        "items": {
          "$ref": "#/$defs/RecordField",
          "description": "Shape of each element of an array value. Default: none."
        }
      }
    },
    "ObjectOperations": {
      "title": "ObjectOperations",
      "description": "Requests available on an object. Each is optional.",
      "type": "object",
      "additionalProperties": false,
      "minProperties": 1,
      "properties": {
        "list": {
          "$ref": "#/$defs/ListOperation",
          "description": "Pages through all records."
        },
        "search": {
          "$ref": "#/$defs/ListOperation",
          "description": "Pages through records matching a filter, typically used for incremental sync."
        },
        "get": {
          "$ref": "#/$defs/RequestOperation",
          "description": "Reads one record by id (`{{ id }}`)."
        },
        "count": {
          "$ref": "#/$defs/CountOperation",
          "description": "Estimates the number of records, for progress when `list` reports no total."
        },
        "create": {
          "$ref": "#/$defs/RequestOperation",
          "description": "Creates one record."
        },
        "update": {
          "$ref": "#/$defs/RequestOperation",
          "description": "Updates one record by id (`{{ id }}`)."
        },
        "delete": {
          "$ref": "#/$defs/RequestOperation",
          "description": "Deletes one record by id (`{{ id }}`)."
        },
        "batchCreate": {
          "$ref": "#/$defs/BatchOperation",
          "description": "Creates several records in one request."
        },
        "batchUpdate": {
          "$ref": "#/$defs/BatchOperation",
          "description": "Updates several records in one request."
        },
        "batchUpsert": {
          "$ref": "#/$defs/BatchOperation",
          "description": "Creates or updates several records in one request."
        },
        "listDeleted": {
          "$ref": "#/$defs/ListOperation",
          "description": "Pages through archived or deleted records."
        }
      }
    },
    "TemplateValue": {
      "title": "TemplateValue",
      "description": "A query parameter value. A string is a template.",
      "type": [
        "string",
        "number",
        "boolean"
      ]
    },
    "RequestTemplate": {
      "title": "RequestTemplate",
      "description": "An HTTP request. Strings in `path`, `query`, `headers` and `body` are templates: \"{{ name }}\" looks up a variable, and a string that is exactly one \"{{ name }}\" keeps the variable's JSON type.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "method",
        "path"
      ],
      "properties": {
        "method": {
          "description": "HTTP method.",
          "type": "string",
          "enum": [
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE"
          ]
        },
        "path": {
          "description": "Template of the path appended to the base URL: empty, or starting with \"/\", e.g. \"/crm/v3/objects/contacts/{{ id }}\".",
          "type": "string",
          "pattern": "^(/|$)"
        },
        "query": {
          "description": "Query parameters by name. String values are templates. Default: none.",
          "type": "object",
          "propertyNames": {
            "pattern": "^\\S+$"
          },
          "additionalProperties": {
            "$ref": "#/$defs/TemplateValue"
          }
        },
        "headers": {
          "description": "Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.",
          "type": "object",
          "propertyNames": {
            "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
          },
          "additionalProperties": {
            "description": "Header value template.",
            "type": "string"
          }
        },
        "body": {
          "description": "JSON request body. Strings inside it are templates. Default: none, so no body is sent."
        },
        "endpointGroup": {
          "description": "Rate-limit group of this request, matched by budgets with scope \"endpointGroup\". Default: none.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "RequestOperation": {
      "title": "RequestOperation",
      "description": "A request that reads or writes one record.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "method",
        "path"
      ],
      "properties": {
        "method": {
          "$ref": "#/$defs/RequestTemplate/properties/method"
        },
        "path": {
          "$ref": "#/$defs/RequestTemplate/properties/path"
        },
        "query": {
          "$ref": "#/$defs/RequestTemplate/properties/query"
        },
        "headers": {
          "$ref": "#/$defs/RequestTemplate/properties/headers"
        },
        "body": {
          "$ref": "#/$defs/RequestTemplate/properties/body"
        },
        "endpointGroup": {
          "$ref": "#/$defs/RequestTemplate/properties/endpointGroup"
        },
        "recordSelector": {
          "$ref": "#/$defs/RecordSelector",
          "description": "Where the record sits in the response. Default: the whole body."
        }
      }
    },
    "ListOperation": {
      "title": "ListOperation",
      "description": "A request that returns pages of records.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "method",
        "path",
        "recordSelector"
      ],
      "properties": {
        "method": {
          "$ref": "#/$defs/RequestTemplate/properties/method"
        },
        "path": {
          "$ref": "#/$defs/RequestTemplate/properties/path"
        },
        "query": {
          "$ref": "#/$defs/RequestTemplate/properties/query"
        },
        "headers": {
          "$ref": "#/$defs/RequestTemplate/properties/headers"
        },
        "body": {
          "$ref": "#/$defs/RequestTemplate/properties/body"
        },
        "endpointGroup": {
          "$ref": "#/$defs/RequestTemplate/properties/endpointGroup"
        },
        "recordSelector": {
          "$ref": "#/$defs/RecordSelector",
          "description": "Where the array of records sits in each response page."
        },
        "pagination": {
          "$ref": "#/$defs/Pagination",
          "description": "How the next page is requested. Default: none, so only one page is read."
        },
        "totalPath": {
          "description": "Dot path of the total record count in the response, e.g. HubSpot search \"total\". Default: none.",
          "type": "string",
          "minLength": 1
        },
        "maxPages": {
          "description": "Pages after which a listing stops with an error, to end a provider loop. Default: 100000.",
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "CountOperation": {
      "title": "CountOperation",
      "description": "A request that returns the number of records.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "method",
        "path",
        "totalPath"
      ],
      "properties": {
        "method": {
          "$ref": "#/$defs/RequestTemplate/properties/method"
        },
        "path": {
          "$ref": "#/$defs/RequestTemplate/properties/path"
        },
        "query": {
          "$ref": "#/$defs/RequestTemplate/properties/query"
        },
        "headers": {
          "$ref": "#/$defs/RequestTemplate/properties/headers"
        },
        "body": {
          "$ref": "#/$defs/RequestTemplate/properties/body"
        },
        "endpointGroup": {
          "$ref": "#/$defs/RequestTemplate/properties/endpointGroup"
        },
        "totalPath": {
          "description": "Dot path of the count in the response, e.g. \"total\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "BatchOperation": {
      "title": "BatchOperation",
      "description": "A request that writes several records. Larger writes are split into batches of `maxBatchSize`.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "method",
        "path",
        "maxBatchSize",
        "inputsPath",
        "resultsSelector"
      ],
      "properties": {
        "method": {
          "$ref": "#/$defs/RequestTemplate/properties/method"
        },
        "path": {
          "$ref": "#/$defs/RequestTemplate/properties/path"
        },
        "query": {
          "$ref": "#/$defs/RequestTemplate/properties/query"
        },
        "headers": {
          "$ref": "#/$defs/RequestTemplate/properties/headers"
        },
        "body": {
          "$ref": "#/$defs/RequestTemplate/properties/body"
        },
        "endpointGroup": {
          "$ref": "#/$defs/RequestTemplate/properties/endpointGroup"
        },
        "maxBatchSize": {
          "description": "Maximum records in one request, e.g. 100 for HubSpot.",
          "type": "integer",
          "minimum": 1
        },
        "inputsPath": {
          "description": "Dot path in the request body where the array of records goes, e.g. \"inputs\".",
          "type": "string",
          "minLength": 1
        },
        "resultsSelector": {
          "$ref": "#/$defs/RecordSelector",
          "description": "Where the written records sit in the response."
        },
        "errorsPath": {
          "description": "Dot path of the per-record errors in the response, e.g. \"errors\". Default: none, so a 2xx response means every record was written.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "RecordSelector": {
      "title": "RecordSelector",
      "description": "Location of records in a response body.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "path"
      ],
      "properties": {
        "path": {
          "description": "Dot path of the record or array of records, e.g. \"results\". \"\" selects the whole body.",
          "type": "string"
        }
      }
    },
    "Pagination": {
      "title": "Pagination",
      "description": "How the next page of a listing is requested, chosen by `type`.",
      "oneOf": [
        {
          "$ref": "#/$defs/CursorPagination"
        },
        {
          "$ref": "#/$defs/OffsetPagination"
        },
        {
          "$ref": "#/$defs/PageNumberPagination"
        },
        {
          "$ref": "#/$defs/LinkHeaderPagination"
        },
        {
          "$ref": "#/$defs/NextUrlPagination"
        }
      ]
    },
    "CursorPagination": {
      "title": "CursorPagination",
      "description": "The response carries an opaque cursor that the next request sends back. Templates read it as `{{ cursor }}`.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "cursorPath",
        "in",
        "param"
      ],
      "properties": {
        "type": {
          "description": "Pagination style.",
          "const": "cursor"
        },
        "cursorPath": {
          "description": "Dot path of the next cursor in the response body, e.g. \"paging.next.after\". An absent, null or empty cursor marks the last page.",
          "type": "string",
          "minLength": 1
        },
        "in": {
          "description": "Where the cursor is sent: a query parameter, or a field of the JSON body (not allowed with GET).",
          "type": "string",
          "enum": [
            "query",
            "body"
          ]
        },
        "param": {
          "description": "Query parameter name, or dot path in the JSON body, that carries the cursor, e.g. \"after\".",
          "type": "string",
          "minLength": 1
        },
        "pageSize": {
          "description": "Records requested per page, sent in `pageSizeParam` and available as `{{ pageSize }}`. Default: none, so the provider's page size applies.",
          "type": "integer",
          "minimum": 1
        },
        "pageSizeParam": {
          "description": "Query parameter name, or body dot path when `in` is \"body\", that carries `pageSize`, e.g. \"limit\". Default: none.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "OffsetPagination": {
      "title": "OffsetPagination",
      "description": "Each request sends the number of records to skip.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "in",
        "offsetParam",
        "limitParam",
        "pageSize"
      ],
      "properties": {
        "type": {
          "description": "Pagination style.",
          "const": "offset"
        },
        "in": {
          "description": "Where offset and limit are sent: query parameters, or fields of the JSON body (not allowed with GET).",
          "type": "string",
          "enum": [
            "query",
            "body"
          ]
        },
        "offsetParam": {
          "description": "Name (or body dot path) of the offset parameter. The first page sends 0.",
          "type": "string",
          "minLength": 1
        },
        "limitParam": {
          "description": "Name (or body dot path) of the page size parameter.",
          "type": "string",
          "minLength": 1
        },
        "pageSize": {
          "description": "Records requested per page. Also available as `{{ pageSize }}`.",
          "type": "integer",
          "minimum": 1
        },
        "totalPath": {
          "description": "Dot path of the total record count in the response. Listing stops when the offset reaches it. Default: none, so listing stops on a page shorter than `pageSize`.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "PageNumberPagination": {
      "title": "PageNumberPagination",
      "description": "Each request sends a page number.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "in",
        "pageParam"
      ],
      "properties": {
        "type": {
          "description": "Pagination style.",
          "const": "pageNumber"
        },
        "in": {
          "description": "Where the page number is sent: a query parameter, or a field of the JSON body (not allowed with GET).",
          "type": "string",
          "enum": [
            "query",
            "body"
          ]
        },
        "pageParam": {
          "description": "Name (or body dot path) of the page number parameter.",
          "type": "string",
          "minLength": 1
        },
        "startPage": {
          "description": "Number of the first page. Default: 1.",
          "type": "integer",
          "minimum": 0
        },
        "pageSizeParam": {
          "description": "Name (or body dot path) of the page size parameter. Default: none.",
          "type": "string",
          "minLength": 1
        },
        "pageSize": {
          "description": "Records requested per page. Also available as `{{ pageSize }}`. Default: none, so the provider's page size applies.",
          "type": "integer",
          "minimum": 1
        },
        "totalPagesPath": {
          "description": "Dot path of the number of pages in the response. Listing stops after that page. Default: none, so listing stops on a short or empty page.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "LinkHeaderPagination": {
      "title": "LinkHeaderPagination",
      "description": "The next page's URL comes in the Link response header (RFC 8288), as Shopify and GitHub send it.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Pagination style.",
          "const": "linkHeader"
        },
        "rel": {
          "description": "Link relation of the next page. Default: \"next\".",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "NextUrlPagination": {
      "title": "NextUrlPagination",
      "description": "The response body carries the absolute URL of the next page.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "path"
      ],
      "properties": {
        "type": {
          "description": "Pagination style.",
          "const": "nextUrl"
        },
        "path": {
          "description": "Dot path of the next page URL in the body, e.g. \"links.next\". The URL must stay on the base URL's host or an allowed host. An absent, null or empty value marks the last page.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "IncrementalSync": {
      "title": "IncrementalSync",
      "description": "How records changed since the last sync are read, by filtering on a modification cursor.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "operation",
        "cursorField",
        "cursorFormat"
      ],
      "properties": {
        "operation": {
          "description": "Operation that reads changes. Its templates may use `{{ incremental.since }}` and `{{ incremental.tieBreaker }}`.",
          "type": "string",
          "enum": [
            "list",
            "search"
          ]
        },
        "cursorField": {
          "description": "Dot path of the modification time in a record, e.g. \"properties.lastmodifieddate\". The largest value seen becomes the saved cursor.",
          "type": "string",
          "minLength": 1
        },
        "cursorFormat": {
          "description": "Format of `cursorField` values: ISO 8601 text, or milliseconds or seconds since the Unix epoch.",
          "type": "string",
          "enum": [
            "iso8601",
            "epochMilliseconds",
            "epochSeconds"
          ]
        },
        "sendAs": {
          "description": "Format of `{{ incremental.since }}` in requests. Default: `cursorFormat`.",
          "type": "string",
          "enum": [
            "iso8601",
            "epochMilliseconds",
            "epochSeconds"
          ]
        },
        "tieBreakerField": {
          "description": "Dot path of a second sort field, e.g. \"id\", that orders records sharing one cursor value. Default: none.",
          "type": "string",
          "minLength": 1
        },
        "tieBreakerStart": {
          "description": "Value of `{{ incremental.tieBreaker }}` before any tie-breaker is known. Default: \"0\".",
          "type": "string"
        },
        "lookbackSeconds": {
          "description": "Seconds subtracted from the saved cursor, to re-read records whose change became visible late. Default: 0.",
          "type": "integer",
          "minimum": 0
        },
        "windowLimit": {
          "description": "Maximum records one query can page through, e.g. 10000 for HubSpot search. When reached, the query restarts from the last record's cursor and tie-breaker. Default: no limit.",
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "DeletionDetection": {
      "title": "DeletionDetection",
      "description": "How deleted provider records are found.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "strategy"
      ],
      "properties": {
        "strategy": {
          "description": "\"listDeleted\" reads the `listDeleted` operation, \"missingInFullSync\" treats records absent from a complete full sync as deleted, \"flag\" reads a boolean at `flagPath`.",
          "type": "string",
          "enum": [
            "listDeleted",
            "missingInFullSync",
            "flag"
          ]
        },
        "flagPath": {
          "description": "Dot path of a boolean in the record that is true for a deleted record, e.g. \"archived\". Required when `strategy` is \"flag\".",
          "type": "string",
          "minLength": 1
        }
      },
      "if": {
        "properties": {
          "strategy": {
            "const": "flag"
          }
        },
        "required": [
          "strategy"
        ]
      },
      "then": {
        "required": [
          "flagPath"
        ]
      }
    },
    "ActionDefinition": {
      "title": "ActionDefinition",
      "description": "A one-off operation, such as sending a message, run with input parameters.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "label",
        "description",
        "input",
        "request"
      ],
      "properties": {
        "label": {
          "description": "Display name, e.g. \"Send WhatsApp template\".",
          "type": "string",
          "minLength": 1
        },
        "description": {
          "description": "What the action does.",
          "type": "string",
          "minLength": 1
        },
        "input": {
          "$ref": "#/$defs/RecordSchema",
          "description": "Parameters the action takes. Templates read them as `{{ params.<name> }}`."
        },
        "request": {
          "$ref": "#/$defs/RequestTemplate",
          "description": "Request that performs the action."
        },
        "outputSelector": {
          "$ref": "#/$defs/RecordSelector",
          "description": "Part of the response returned as the action's output. Default: the whole body."
        },
        "interactive": {
          "description": "When true, the action's requests go ahead of bulk sync requests in the rate limiter. Default: true.",
          "type": "boolean"
        }
      }
    },
    "WebhookDefinition": {
      "title": "WebhookDefinition",
      "description": "How webhook deliveries from the provider are verified and turned into record events.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "signature",
        "contentType"
      ],
      "properties": {
        "signature": {
          "$ref": "#/$defs/WebhookSignature",
          "description": "How a delivery's authenticity is verified."
        },
        "handshake": {
          "$ref": "#/$defs/WebhookHandshake",
          "description": "Subscription handshake the endpoint responds to. Default: none."
        },
        "contentType": {
          "description": "Body encoding of a delivery: \"json\", \"form\" (application/x-www-form-urlencoded) or \"xml\".",
          "type": "string",
          "enum": [
            "json",
            "form",
            "xml"
          ]
        },
        "events": {
          "description": "Where a batch of events sits in the body. Default: none, so the body is one event.",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path"
          ],
          "properties": {
            "path": {
              "description": "Dot path of the array of events. \"\" means the body itself is the array.",
              "type": "string"
            }
          }
        },
        "eventId": {
          "$ref": "#/$defs/ValueLocation",
          "description": "Where an event's unique id is, used to drop redelivered events. Default: none."
        },
        "eventType": {
          "$ref": "#/$defs/ValueLocation",
          "description": "Where an event's type is, matched against `routes`. Default: none."
        },
        "occurredAt": {
          "$ref": "#/$defs/ValueLocation",
          "description": "Where an event's time is: ISO 8601, or epoch seconds or milliseconds (a number below 10^11 is read as seconds). Default: none, so the receive time is used."
        },
        "connectionLookup": {
          "description": "How the connection is found from a payload value, e.g. HubSpot \"portalId\". Default: none, so the connection id is in the webhook URL.",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "from",
            "configField"
          ],
          "properties": {
            "from": {
              "$ref": "#/$defs/ValueLocation",
              "description": "Where the value is in the delivery."
            },
            "configField": {
              "description": "Connection setting (a `configSchema` property or an OAuth `connectionFields` entry) whose value must equal it.",
              "type": "string",
              "minLength": 1
            }
          }
        },
        "routes": {
          "description": "What each event type does. The first matching route wins. Default: none, so events are stored without action.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/WebhookRoute"
          }
        }
      }
    },
    "WebhookSignature": {
      "title": "WebhookSignature",
      "description": "A delivery verification scheme, chosen by `scheme`.",
      "oneOf": [
        {
          "$ref": "#/$defs/BuiltInSignature"
        },
        {
          "$ref": "#/$defs/HmacSignature"
        }
      ]
    },
    "BuiltInSignature": {
      "title": "BuiltInSignature",
      "description": "A provider's documented verification scheme, implemented by Lumio.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "scheme"
      ],
      "properties": {
        "scheme": {
          "description": "Scheme name. \"basic-auth\" checks HTTP Basic credentials, \"url-secret\" a secret in the webhook URL, and \"plugin\" calls the connector plugin's verifyWebhook hook once per webhook secret.",
          "type": "string",
          "enum": [
            "shopify",
            "hubspot-v1",
            "hubspot-v2",
            "hubspot-v3",
            "stripe",
            "meta",
            "slack",
            "standard-webhooks",
            "github",
            "twilio",
            "linkedin",
            "mailchimp",
            "pipedrive",
            "salesforce-outbound",
            "basic-auth",
            "url-secret",
            "plugin"
          ]
        },
        "toleranceSeconds": {
          "description": "For schemes with a timestamp, the maximum age or clock skew of a delivery in seconds. Default: 300.",
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "HmacSignature": {
      "title": "HmacSignature",
      "description": "A generic HMAC signature over a template of the delivery.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "scheme",
        "header",
        "algorithm",
        "encoding",
        "signedContent"
      ],
      "properties": {
        "scheme": {
          "description": "Verification scheme.",
          "const": "hmac"
        },
        "header": {
          "description": "Request header that carries the signature.",
          "type": "string",
          "minLength": 1
        },
        "algorithm": {
          "description": "Hash function of the HMAC.",
          "type": "string",
          "enum": [
            "sha1",
            "sha256",
            "sha512"
          ]
        },
        "encoding": {
          "description": "Encoding of the signature in the header.",
          "type": "string",
          "enum": [
            "hex",
            "base64"
          ]
        },
        "prefix": {
          "description": "Text before the signature in the header, e.g. \"sha256=\". Default: none.",
          "type": "string"
        },
        "signedContent": {
          "description": "Template of the signed bytes over `{{ method }}`, `{{ url }}`, `{{ timestamp }}`, `{{ id }}` and `{{ body }}` (the raw body), e.g. \"{{ timestamp }}.{{ body }}\".",
          "type": "string",
          "minLength": 1
        },
        "timestampHeader": {
          "description": "Header with the delivery timestamp, checked against `toleranceSeconds`. Default: none, so no timestamp is checked.",
          "type": "string",
          "minLength": 1
        },
        "timestampUnit": {
          "description": "Unit of the timestamp header since the Unix epoch. Default: \"seconds\".",
          "type": "string",
          "enum": [
            "seconds",
            "milliseconds"
          ]
        },
        "toleranceSeconds": {
          "description": "Maximum difference in seconds, in either direction, between the timestamp and the receive time. Default: 300.",
          "type": "integer",
          "minimum": 1
        },
        "idHeader": {
          "description": "Header with the delivery id, available as `{{ id }}`. Default: none.",
          "type": "string",
          "minLength": 1
        }
      },
      "dependentRequired": {
        "timestampUnit": [
          "timestampHeader"
        ],
        "toleranceSeconds": [
          "timestampHeader"
        ]
      }
    },
    "WebhookHandshake": {
      "title": "WebhookHandshake",
      "description": "A subscription verification request that the webhook endpoint responds to.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Handshake style: Meta's hub.challenge, Slack's url_verification, LinkedIn's challengeCode, or Mailchimp's GET check.",
          "type": "string",
          "enum": [
            "metaChallenge",
            "slackUrlVerification",
            "linkedinChallenge",
            "mailchimpGet"
          ]
        }
      }
    },
    "ValueLocation": {
      "title": "ValueLocation",
      "description": "Where a value is in a webhook delivery.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "in",
        "path"
      ],
      "properties": {
        "in": {
          "description": "Part of the delivery: a header, the (per-event) body, or the query string.",
          "type": "string",
          "enum": [
            "header",
            "body",
            "query"
          ]
        },
        "path": {
          "description": "Header name, query parameter name, or dot path in the event body.",
          "type": "string",
          "minLength": 1
        }
      }
    },
    "WebhookRoute": {
      "title": "WebhookRoute",
      "description": "What an event type does to a record.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "eventType",
        "object",
        "action",
        "idPath"
      ],
      "properties": {
        "eventType": {
          "description": "Exact event type, e.g. \"contact.propertyChange\", or a prefix ending in \"*\", e.g. \"contact.*\".",
          "type": "string",
          "pattern": "^[^*]+\\*?$|^\\*$"
        },
        "object": {
          "description": "Key of the manifest object the event is about.",
          "type": "string",
          "pattern": "^[a-z][a-zA-Z0-9_]*$"
        },
        "action": {
          "description": "\"fetch\" reads the record with `get`, \"upsert\" stores the event payload as the record, \"delete\" marks the record deleted.",
          "type": "string",
          "enum": [
            "fetch",
            "upsert",
            "delete"
          ]
        },
        "idPath": {
          "description": "Dot path of the record id in the event, e.g. \"objectId\".",
          "type": "string",
          "minLength": 1
        },
        "statusOrder": {
          "description": "For events whose statuses may arrive out of order, such as WhatsApp message statuses: where the status is in the event and its values from first to last. A stored record is not overwritten by an event whose status comes earlier in this list, so a \"delivered\" that arrives after \"read\" changes nothing. Only \"upsert\" routes use it. Default: none.",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path",
            "values"
          ],
          "properties": {
            "path": {
              "description": "Dot path of the status in the event, e.g. \"status\".",
              "type": "string",
              "minLength": 1
            },
            "values": {
              "description": "Status values in the order they happen, e.g. [\"sent\", \"delivered\", \"read\"].",
              "type": "array",
              "minItems": 2,
              "uniqueItems": true,
              "items": {
                "description": "One status value.",
                "type": "string",
                "minLength": 1
              }
            }
          }
        }
      }
    },
    "DefaultMapping": {
      "title": "DefaultMapping",
      "description": "A field mapping offered by default for new connections.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "object",
        "canonicalObject",
        "fields"
      ],
      "properties": {
        "object": {
          "description": "Key of the manifest object whose records are mapped, e.g. \"contacts\".",
          "type": "string",
          "pattern": "^[a-z][a-zA-Z0-9_]*$"
        },
        "canonicalObject": {
          "$ref": "https://schemas.lumio.dev/field-mapping.schema.json#/$defs/CanonicalObjectName",
          "description": "Canonical object the records become."
        },
        "fields": {
          "description": "Field rules, applied in order.",
          "type": "array",
          "items": {
            "$ref": "https://schemas.lumio.dev/field-mapping.schema.json#/$defs/FieldRule"
          }
        }
      }
    },
    "PluginEntry": {
      "title": "PluginEntry",
      "description": "Sandboxed plugin code and the host capabilities it may use.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "entry",
        "capabilities"
      ],
      "properties": {
        "entry": {
          "description": "Path of the plugin source file relative to manifest.json, e.g. \"plugin/index.ts\". It must stay inside the connector directory.",
          "type": "string",
          "minLength": 1
        },
        "capabilities": {
          "description": "Host capabilities the plugin may call: \"http\" (requests through the connection's auth, limits and allowed hosts), \"state\" (a per-connection key-value store), \"log\" and \"crypto\" (hashes and HMAC).",
          "type": "array",
          "uniqueItems": true,
          "items": {
            "description": "One capability.",
            "type": "string",
            "enum": [
              "http",
              "state",
              "log",
              "crypto"
            ]
          }
        },
        "limits": {
          "description": "Resource limits of one plugin call. A limit left out gets the platform's default; a value above the platform's maximum is lowered to it, with a warning in the platform log.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "memoryMb": {
              "description": "Heap limit in megabytes. Default: LUMIO_SANDBOX_MEMORY_MB (64 unless the operator sets it); at most LUMIO_SANDBOX_MAX_MEMORY_MB (512 unless set). Values under 8 count as 8.",
              "type": "integer",
              "minimum": 1
            },
            "cpuTimeMs": {
              "description": "CPU time limit in milliseconds. Default: LUMIO_SANDBOX_CPU_MS (1000 unless the operator sets it); at most LUMIO_SANDBOX_MAX_CPU_MS (30000 unless set).",
              "type": "integer",
              "minimum": 1
            },
            "wallTimeMs": {
              "description": "Elapsed time limit in milliseconds, including waits for host calls. Default: LUMIO_SANDBOX_WALL_MS (30000 unless the operator sets it); at most LUMIO_SANDBOX_MAX_WALL_MS (300000 unless set).",
              "type": "integer",
              "minimum": 1
            }
          }
        }
      }
    }
  }
};

/** schemas/field-mapping.schema.json */
export const fieldMappingSchema: SchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.lumio.dev/field-mapping.schema.json",
  "title": "FieldMapping",
  "description": "A stored, versioned field mapping: the rules that turn one provider record of a connector object into a Lumio canonical record. A connector's default mappings use the same field rules.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "object",
    "canonicalObject",
    "fields"
  ],
  "properties": {
    "object": {
      "description": "Key of the connector object whose records this mapping reads, as declared in the manifest's `objects` map, e.g. \"contacts\".",
      "type": "string",
      "pattern": "^[a-z][a-zA-Z0-9_]*$"
    },
    "canonicalObject": {
      "$ref": "#/$defs/CanonicalObjectName",
      "description": "Canonical object that the mapped records become."
    },
    "fields": {
      "description": "Field rules, applied in order. Each rule writes one target field of the canonical record. A canonical field without a rule stays absent.",
      "type": "array",
      "items": {
        "$ref": "#/$defs/FieldRule"
      }
    }
  },
  "$defs": {
    "CanonicalObjectName": {
      "title": "CanonicalObjectName",
      "description": "Name of a Lumio canonical object. Each name has a schema in schemas/canonical/<name>.schema.json.",
      "type": "string",
      "enum": [
        "contact",
        "company",
        "deal",
        "product",
        "order",
        "customer",
        "message"
      ]
    },
    "FieldRule": {
      "title": "FieldRule",
      "description": "One canonical field and where its value comes from. A rule has exactly one of `source`, `sources` and `constant`.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "target"
      ],
      "properties": {
        "target": {
          "description": "Dot path of the field in the canonical record, e.g. \"firstName\" or \"address.city\". A path into an array of objects uses \"[]\", e.g. \"lineItems[].sku\". Never \"id\": Lumio assigns record ids itself.",
          "type": "string",
          "pattern": "^[A-Za-z][A-Za-z0-9_]*(\\[\\])?(\\.[A-Za-z][A-Za-z0-9_]*(\\[\\])?)*$"
        },
        "source": {
          "description": "Dot path of the value in the provider record, e.g. \"properties.firstname\". A segment ending in \"[]\" reads every element of an array, so \"items[].sku\" yields an array of SKUs. A missing path yields null.",
          "type": "string",
          "minLength": 1
        },
        "sources": {
          "description": "Several dot paths in the provider record. The value is the array of their values in this order, which a `concat` transform can join.",
          "type": "array",
          "minItems": 1,
          "items": {
            "description": "Dot path in the provider record, with the same syntax as `source`.",
            "type": "string",
            "minLength": 1
          }
        },
        "constant": {
          "description": "Fixed value written to the target instead of a value read from the record.",
          "type": [
            "string",
            "number",
            "boolean",
            "null"
          ]
        },
        "transforms": {
          "description": "Transforms applied to the value in order, each to the output of the previous one. Default: none, so the value is copied as read.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/Transform"
          }
        },
        "reverse": {
          "description": "How write-back sends this canonical field to the provider. `false` leaves it out; an entry, or a list of them, writes it to `target` (default: the rule's `source`) after its `transforms`. Default: the rule is inverted when it has one `source` and every transform has an inverse, and left out otherwise.",
          "oneOf": [
            {
              "const": false
            },
            {
              "$ref": "#/$defs/ReverseRule"
            },
            {
              "type": "array",
              "minItems": 1,
              "items": {
                "$ref": "#/$defs/ReverseRule"
              }
            }
          ]
        }
      },
      "oneOf": [
        {
          "required": [
            "source"
          ]
        },
        {
          "required": [
            "sources"
          ]
        },
        {
          "required": [
            "constant"
          ]
        }
      ]
    },
    "ReverseRule": {
      "title": "ReverseRule",
      "description": "Where write-back writes a canonical field in the provider record.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "target": {
          "description": "Dot path of the field in the provider record, e.g. \"properties.country\". Default: the rule's `source`.",
          "type": "string",
          "minLength": 1
        },
        "transforms": {
          "description": "Transforms applied to the canonical value before it is written. Default: none.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/Transform"
          }
        }
      }
    },
    "Transform": {
      "title": "Transform",
      "description": "One step that changes a value, chosen by `type`.",
      "oneOf": [
        {
          "$ref": "#/$defs/TrimTransform"
        },
        {
          "$ref": "#/$defs/CaseTransform"
        },
        {
          "$ref": "#/$defs/ConvertTransform"
        },
        {
          "$ref": "#/$defs/DateTransform"
        },
        {
          "$ref": "#/$defs/DefaultTransform"
        },
        {
          "$ref": "#/$defs/ValueMapTransform"
        },
        {
          "$ref": "#/$defs/ConcatTransform"
        },
        {
          "$ref": "#/$defs/SplitTransform"
        },
        {
          "$ref": "#/$defs/LookupTransform"
        }
      ]
    },
    "TrimTransform": {
      "title": "TrimTransform",
      "description": "Removes leading and trailing white space from a string. Numbers and booleans pass unchanged.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "trim"
        }
      }
    },
    "CaseTransform": {
      "title": "CaseTransform",
      "description": "Changes the letter case of a string. Numbers and booleans pass unchanged.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "to"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "case"
        },
        "to": {
          "description": "Target case, using Brazilian Portuguese (pt-BR) case rules: \"lower\", \"upper\", or \"title\" (first letter of each word upper case, the rest lower case. The particles da, das, de, do, dos and e stay lower case after the first word).",
          "type": "string",
          "enum": [
            "lower",
            "upper",
            "title"
          ]
        }
      }
    },
    "ConvertTransform": {
      "title": "ConvertTransform",
      "description": "Converts a value to another JSON type. Null stays null, empty text becomes null, and a value that cannot be converted is a field error.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "to"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "convert"
        },
        "to": {
          "description": "Target type. \"number\" and \"integer\" accept numbers, booleans (as 1 and 0) and decimal text. \"integer\" accepts only whole numbers. \"boolean\" accepts booleans, the numbers 1 and 0, and the text true/false, 1/0 or yes/no in any case.",
          "type": "string",
          "enum": [
            "string",
            "number",
            "integer",
            "boolean"
          ]
        }
      }
    },
    "DateTransform": {
      "title": "DateTransform",
      "description": "Parses a date or timestamp in one format and writes it in another.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "from",
        "to"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "date"
        },
        "from": {
          "description": "Format of the input: \"iso8601\" date or date-time text (read in `timeZone` when it has no offset), \"epochMilliseconds\" or \"epochSeconds\" since 1970-01-01T00:00:00Z (numbers or numeric text), or \"date\" (YYYY-MM-DD, read as midnight in `timeZone`).",
          "type": "string",
          "enum": [
            "iso8601",
            "epochMilliseconds",
            "epochSeconds",
            "date"
          ]
        },
        "to": {
          "description": "Format of the output: \"iso8601\" (UTC, e.g. \"2025-03-01T12:00:00.000Z\"), \"date\" (YYYY-MM-DD in `timeZone`), \"epochMilliseconds\", \"epochSeconds\", or \"localDateTime\" (YYYY-MM-DDTHH:mm:ss in `timeZone`, without an offset).",
          "type": "string",
          "enum": [
            "iso8601",
            "date",
            "epochMilliseconds",
            "epochSeconds",
            "localDateTime"
          ]
        },
        "timeZone": {
          "description": "IANA time zone name, e.g. \"America/Sao_Paulo\", used to read input without an offset and to write \"date\" and \"localDateTime\" output. Required when `to` is \"localDateTime\". Default: \"UTC\".",
          "type": "string",
          "minLength": 1
        }
      },
      "if": {
        "properties": {
          "to": {
            "const": "localDateTime"
          }
        },
        "required": [
          "to"
        ]
      },
      "then": {
        "required": [
          "timeZone"
        ]
      }
    },
    "DefaultTransform": {
      "title": "DefaultTransform",
      "description": "Replaces a missing value (null or absent) with a fixed value. It is the only transform that runs on a missing value. The others pass it through.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "value"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "default"
        },
        "value": {
          "description": "Value written when the input is missing.",
          "type": [
            "string",
            "number",
            "boolean",
            "null"
          ]
        }
      }
    },
    "ValueMapTransform": {
      "title": "ValueMapTransform",
      "description": "Replaces a value by looking it up in a table, e.g. provider stage ids to canonical stage names.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "map"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "valueMap"
        },
        "map": {
          "description": "Table from input value, compared as text (so the number 1 matches the key \"1\"), to output value.",
          "type": "object",
          "propertyNames": {
            "description": "Input value as text. Any text is allowed, including the empty string.",
            "type": "string"
          },
          "additionalProperties": {
            "description": "Output value for this input.",
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          }
        },
        "otherwise": {
          "description": "What happens to a value missing from the table: \"keep\" passes it unchanged, \"null\" writes null. Default: \"keep\".",
          "type": "string",
          "enum": [
            "keep",
            "null"
          ]
        }
      }
    },
    "ConcatTransform": {
      "title": "ConcatTransform",
      "description": "Joins an array of values (as produced by `sources`) into one string. A non-array value is written as text.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "concat"
        },
        "separator": {
          "description": "Text placed between joined values. Default: \" \" (one space).",
          "type": "string"
        },
        "skipEmpty": {
          "description": "When true, null, absent, empty and white-space-only values are left out before joining, and the result is null when nothing is left. When false, missing values join as empty text. Default: false.",
          "type": "boolean"
        }
      }
    },
    "SplitTransform": {
      "title": "SplitTransform",
      "description": "Splits a string at each separator.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "separator"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "split"
        },
        "separator": {
          "description": "Text at which the string is split, matched literally.",
          "type": "string",
          "minLength": 1
        },
        "index": {
          "description": "Zero-based index of the part to keep. A negative index counts from the end (-1 is the last part), and an index past the end yields null. Default: none, so the whole array of parts is written.",
          "type": "integer"
        }
      }
    },
    "LookupTransform": {
      "title": "LookupTransform",
      "description": "Treats the value as a provider record id and finds the record with that external id among this connection's records of a canonical object. Writes that record's Lumio id, or one field of its canonical data, or null when no record matches.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "type",
        "canonicalObject"
      ],
      "properties": {
        "type": {
          "description": "Transform kind.",
          "const": "lookup"
        },
        "canonicalObject": {
          "$ref": "#/$defs/CanonicalObjectName",
          "description": "Canonical object whose records are searched."
        },
        "field": {
          "description": "Dot path of a field in the found record's canonical data to write instead of its Lumio id. Default: none, so the Lumio id is written.",
          "type": "string",
          "pattern": "^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$"
        }
      }
    }
  }
};

/** schemas/canonical/common.schema.json: definitions shared by the canonical object schemas. */
export const canonicalCommonSchema: SchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.lumio.dev/canonical/common.schema.json",
  "title": "CanonicalCommon",
  "description": "Building blocks shared by the canonical object schemas. This document defines no record type itself.",
  "$defs": {
    "Address": {
      "title": "Address",
      "description": "A postal address. Brazilian addresses split the street line into street, number, complement and district (bairro).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "street": {
          "description": "Street name (logradouro), e.g. \"Avenida Paulista\". Other countries may put the whole street line here.",
          "type": "string"
        },
        "number": {
          "description": "Building number as text, e.g. \"1578\" or \"s/n\".",
          "type": "string"
        },
        "complement": {
          "description": "Apartment, suite or floor, e.g. \"apto 42\".",
          "type": "string"
        },
        "district": {
          "description": "District or neighbourhood (bairro), e.g. \"Bela Vista\".",
          "type": "string"
        },
        "city": {
          "description": "City, e.g. \"São Paulo\".",
          "type": "string"
        },
        "state": {
          "description": "State or province. For Brazil the two-letter UF code, e.g. \"SP\".",
          "type": "string"
        },
        "postalCode": {
          "description": "Postal code. For Brazil the CEP, e.g. \"01310-200\".",
          "type": "string"
        },
        "country": {
          "description": "ISO 3166-1 alpha-2 country code in upper case, e.g. \"BR\".",
          "type": "string",
          "pattern": "^[A-Z]{2}$"
        }
      }
    },
    "CustomFields": {
      "title": "CustomFields",
      "description": "Provider fields with no canonical counterpart, by name. A name starts with a letter followed by letters, digits or underscores. Values are scalars.",
      "type": "object",
      "propertyNames": {
        "pattern": "^[A-Za-z][A-Za-z0-9_]*$"
      },
      "additionalProperties": {
        "description": "Field value.",
        "type": [
          "string",
          "number",
          "boolean",
          "null"
        ]
      }
    }
  }
};

/** schemas/canonical/<name>.schema.json for each canonical object. */
export const canonicalSchemas: Readonly<Record<CanonicalObjectName, SchemaDocument>> = {
  contact: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/contact.schema.json",
    "title": "Contact",
    "description": "A person a business talks to: a CRM contact or lead. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "fullName"
    ],
    "properties": {
      "firstName": {
        "description": "Given name, e.g. \"Ana\".",
        "type": "string"
      },
      "lastName": {
        "description": "Family name, e.g. \"Souza\".",
        "type": "string"
      },
      "fullName": {
        "description": "Name as displayed, e.g. \"Ana Souza\". A mapping often builds it from first and last name with a `concat` transform.",
        "type": "string"
      },
      "email": {
        "description": "Primary e-mail address.",
        "type": "string",
        "format": "email"
      },
      "phone": {
        "description": "Primary phone number, in E.164 form (e.g. \"+5511987654321\") when the provider gives enough to build it.",
        "type": "string"
      },
      "mobilePhone": {
        "description": "Mobile phone number, in E.164 form when possible.",
        "type": "string"
      },
      "whatsapp": {
        "description": "WhatsApp number in E.164 form, e.g. \"+5511987654321\".",
        "type": "string"
      },
      "jobTitle": {
        "description": "Job title, e.g. \"Gerente de Compras\".",
        "type": "string"
      },
      "companyName": {
        "description": "Name of the company the person works for, as text.",
        "type": "string"
      },
      "companyId": {
        "description": "Lumio id of the person's company record, usually found with a `lookup` transform.",
        "type": "string"
      },
      "taxId": {
        "description": "National tax id: for Brazil the CPF, digits only (11 digits).",
        "type": "string"
      },
      "birthDate": {
        "description": "Date of birth (YYYY-MM-DD).",
        "type": "string",
        "format": "date"
      },
      "lifecycleStage": {
        "description": "Stage in the marketing and sales funnel.",
        "type": "string",
        "enum": [
          "subscriber",
          "lead",
          "marketingQualifiedLead",
          "salesQualifiedLead",
          "opportunity",
          "customer",
          "evangelist",
          "other"
        ]
      },
      "leadSource": {
        "description": "Where the contact came from, e.g. \"website\" or \"instagram\".",
        "type": "string"
      },
      "ownerEmail": {
        "description": "E-mail address of the user who owns the contact in the provider.",
        "type": "string",
        "format": "email"
      },
      "marketingConsent": {
        "description": "Whether the person agreed to receive marketing messages (a consent record under the LGPD).",
        "type": "boolean"
      },
      "address": {
        "$ref": "common.schema.json#/$defs/Address",
        "description": "Postal address."
      },
      "tags": {
        "description": "Labels attached to the contact.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "One label.",
          "type": "string"
        }
      },
      "customFields": {
        "$ref": "common.schema.json#/$defs/CustomFields",
        "description": "Provider fields with no canonical counterpart."
      },
      "createdAt": {
        "description": "When the contact was created in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the contact last changed in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  company: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/company.schema.json",
    "title": "Company",
    "description": "An organisation a business sells to or works with: a CRM company or account. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name"
    ],
    "properties": {
      "name": {
        "description": "Trade name (nome fantasia), e.g. \"Padaria Pão Quente\".",
        "type": "string"
      },
      "legalName": {
        "description": "Registered legal name (razão social), e.g. \"Pão Quente Alimentos Ltda.\".",
        "type": "string"
      },
      "taxId": {
        "description": "National tax id: for Brazil the CNPJ, digits only (14 digits).",
        "type": "string"
      },
      "domain": {
        "description": "Main web domain, e.g. \"paoquente.com.br\".",
        "type": "string",
        "format": "hostname"
      },
      "website": {
        "description": "Website URL.",
        "type": "string",
        "format": "uri"
      },
      "industry": {
        "description": "Industry or segment, e.g. \"Food & Beverage\".",
        "type": "string"
      },
      "employeeCount": {
        "description": "Number of employees.",
        "type": "integer",
        "minimum": 0
      },
      "annualRevenue": {
        "description": "Annual revenue in major units of `currency` (reais for BRL, not centavos).",
        "type": "number",
        "minimum": 0
      },
      "currency": {
        "description": "ISO 4217 code of `annualRevenue`, e.g. \"BRL\".",
        "type": "string",
        "pattern": "^[A-Z]{3}$"
      },
      "phone": {
        "description": "Main phone number, in E.164 form when possible.",
        "type": "string"
      },
      "email": {
        "description": "General contact e-mail address.",
        "type": "string",
        "format": "email"
      },
      "address": {
        "$ref": "common.schema.json#/$defs/Address",
        "description": "Postal address of the head office."
      },
      "lifecycleStage": {
        "description": "Stage in the marketing and sales funnel.",
        "type": "string",
        "enum": [
          "subscriber",
          "lead",
          "marketingQualifiedLead",
          "salesQualifiedLead",
          "opportunity",
          "customer",
          "evangelist",
          "other"
        ]
      },
      "ownerEmail": {
        "description": "E-mail address of the user who owns the company in the provider.",
        "type": "string",
        "format": "email"
      },
      "description": {
        "description": "Free-text description.",
        "type": "string"
      },
      "tags": {
        "description": "Labels attached to the company.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "One label.",
          "type": "string"
        }
      },
      "customFields": {
        "$ref": "common.schema.json#/$defs/CustomFields",
        "description": "Provider fields with no canonical counterpart."
      },
      "createdAt": {
        "description": "When the company was created in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the company last changed in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  deal: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/deal.schema.json",
    "title": "Deal",
    "description": "A sales opportunity moving through a pipeline. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name",
      "stage"
    ],
    "properties": {
      "name": {
        "description": "Deal name, e.g. \"Plano anual - Padaria Pão Quente\".",
        "type": "string"
      },
      "amount": {
        "description": "Expected value in major units of `currency` (reais for BRL, not centavos).",
        "type": "number",
        "minimum": 0
      },
      "currency": {
        "description": "ISO 4217 code of `amount`, e.g. \"BRL\".",
        "type": "string",
        "pattern": "^[A-Z]{3}$"
      },
      "stage": {
        "description": "Pipeline stage as the provider names it, e.g. \"proposta enviada\". A `valueMap` transform can turn stage ids into names.",
        "type": "string"
      },
      "pipeline": {
        "description": "Name of the pipeline the deal is in.",
        "type": "string"
      },
      "status": {
        "description": "Outcome so far: \"open\", \"won\" or \"lost\".",
        "type": "string",
        "enum": [
          "open",
          "won",
          "lost"
        ]
      },
      "probability": {
        "description": "Probability of winning, from 0 to 1.",
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "closeDate": {
        "description": "Expected or actual close date (YYYY-MM-DD).",
        "type": "string",
        "format": "date"
      },
      "companyId": {
        "description": "Lumio id of the customer company, usually found with a `lookup` transform.",
        "type": "string"
      },
      "contactIds": {
        "description": "Lumio ids of the contacts involved, usually found with `lookup` transforms.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "Lumio id of one contact.",
          "type": "string"
        }
      },
      "ownerEmail": {
        "description": "E-mail address of the user who owns the deal in the provider.",
        "type": "string",
        "format": "email"
      },
      "source": {
        "description": "Where the deal came from, e.g. \"indicação\" or \"inbound\".",
        "type": "string"
      },
      "lostReason": {
        "description": "Why the deal was lost, when `status` is \"lost\".",
        "type": "string"
      },
      "description": {
        "description": "Free-text description.",
        "type": "string"
      },
      "customFields": {
        "$ref": "common.schema.json#/$defs/CustomFields",
        "description": "Provider fields with no canonical counterpart."
      },
      "createdAt": {
        "description": "When the deal was created in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the deal last changed in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  product: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/product.schema.json",
    "title": "Product",
    "description": "An item a business sells, from a store catalog or a CRM product library. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "name"
    ],
    "properties": {
      "name": {
        "description": "Product name, e.g. \"Café Torrado 500 g\".",
        "type": "string"
      },
      "sku": {
        "description": "Stock keeping unit code.",
        "type": "string"
      },
      "description": {
        "description": "Product description as plain text or HTML, as the provider stores it.",
        "type": "string"
      },
      "price": {
        "description": "Sale price of one unit in major units of `currency` (reais for BRL, not centavos).",
        "type": "number",
        "minimum": 0
      },
      "compareAtPrice": {
        "description": "Former or list price shown struck through, in major units of `currency`.",
        "type": "number",
        "minimum": 0
      },
      "costPrice": {
        "description": "Cost of one unit to the business, in major units of `currency`.",
        "type": "number",
        "minimum": 0
      },
      "currency": {
        "description": "ISO 4217 code of the prices, e.g. \"BRL\".",
        "type": "string",
        "pattern": "^[A-Z]{3}$"
      },
      "stockQuantity": {
        "description": "Units in stock. Negative when the store allows backorders.",
        "type": "integer"
      },
      "active": {
        "description": "Whether the product is on sale.",
        "type": "boolean"
      },
      "category": {
        "description": "Category name, e.g. \"Mercearia\".",
        "type": "string"
      },
      "brand": {
        "description": "Brand name.",
        "type": "string"
      },
      "barcode": {
        "description": "GTIN/EAN barcode, digits only.",
        "type": "string"
      },
      "ncm": {
        "description": "Brazilian NCM tax classification code, 8 digits, e.g. \"09012100\".",
        "type": "string",
        "pattern": "^[0-9]{8}$"
      },
      "weightGrams": {
        "description": "Shipping weight of one unit in grams.",
        "type": "number",
        "minimum": 0
      },
      "imageUrls": {
        "description": "Image URLs, the main image first.",
        "type": "array",
        "items": {
          "description": "Absolute URL of one image.",
          "type": "string",
          "format": "uri"
        }
      },
      "url": {
        "description": "URL of the product page in the store.",
        "type": "string",
        "format": "uri"
      },
      "tags": {
        "description": "Labels attached to the product.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "One label.",
          "type": "string"
        }
      },
      "customFields": {
        "$ref": "common.schema.json#/$defs/CustomFields",
        "description": "Provider fields with no canonical counterpart."
      },
      "createdAt": {
        "description": "When the product was created in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the product last changed in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  order: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/order.schema.json",
    "title": "Order",
    "description": "A purchase placed in a store. Amounts are in major units of `currency` (reais for BRL, not centavos). Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "orderNumber",
      "status",
      "currency",
      "total"
    ],
    "properties": {
      "orderNumber": {
        "description": "Order number shown to the customer, e.g. \"#1042\".",
        "type": "string"
      },
      "status": {
        "description": "Overall order state.",
        "type": "string",
        "enum": [
          "pending",
          "processing",
          "shipped",
          "delivered",
          "completed",
          "cancelled",
          "refunded"
        ]
      },
      "paymentStatus": {
        "description": "Payment state.",
        "type": "string",
        "enum": [
          "pending",
          "authorized",
          "paid",
          "partiallyRefunded",
          "refunded",
          "voided",
          "failed"
        ]
      },
      "fulfillmentStatus": {
        "description": "Shipping state of the items.",
        "type": "string",
        "enum": [
          "unfulfilled",
          "partiallyFulfilled",
          "fulfilled",
          "returned"
        ]
      },
      "currency": {
        "description": "ISO 4217 code of every amount in the order, e.g. \"BRL\".",
        "type": "string",
        "pattern": "^[A-Z]{3}$"
      },
      "subtotal": {
        "description": "Sum of the line items before discounts, shipping and taxes.",
        "type": "number",
        "minimum": 0
      },
      "discountTotal": {
        "description": "Total discount applied to the order.",
        "type": "number",
        "minimum": 0
      },
      "shippingTotal": {
        "description": "Shipping charged to the customer.",
        "type": "number",
        "minimum": 0
      },
      "taxTotal": {
        "description": "Taxes charged to the customer.",
        "type": "number",
        "minimum": 0
      },
      "total": {
        "description": "Amount the customer pays.",
        "type": "number",
        "minimum": 0
      },
      "lineItems": {
        "description": "Items bought, in the order the provider lists them.",
        "type": "array",
        "items": {
          "$ref": "#/$defs/OrderLineItem"
        }
      },
      "customerId": {
        "description": "Lumio id of the customer record, usually found with a `lookup` transform.",
        "type": "string"
      },
      "customerEmail": {
        "description": "E-mail address the order was placed with.",
        "type": "string",
        "format": "email"
      },
      "customerName": {
        "description": "Name of the buyer as entered on the order.",
        "type": "string"
      },
      "customerTaxId": {
        "description": "Tax id of the buyer for the invoice: for Brazil the CPF (11 digits) or CNPJ (14 digits), digits only.",
        "type": "string"
      },
      "paymentMethod": {
        "description": "How the order was paid.",
        "type": "string",
        "enum": [
          "pix",
          "boleto",
          "creditCard",
          "debitCard",
          "bankTransfer",
          "wallet",
          "cashOnDelivery",
          "other"
        ]
      },
      "installments": {
        "description": "Number of card installments (parcelas). 1 for a single payment.",
        "type": "integer",
        "minimum": 1
      },
      "billingAddress": {
        "$ref": "common.schema.json#/$defs/Address",
        "description": "Billing address."
      },
      "shippingAddress": {
        "$ref": "common.schema.json#/$defs/Address",
        "description": "Delivery address."
      },
      "shippingMethod": {
        "description": "Shipping service, e.g. \"SEDEX\" or \"PAC\".",
        "type": "string"
      },
      "trackingCode": {
        "description": "Carrier tracking code.",
        "type": "string"
      },
      "notes": {
        "description": "Note left by the customer or staff.",
        "type": "string"
      },
      "tags": {
        "description": "Labels attached to the order.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "One label.",
          "type": "string"
        }
      },
      "paidAt": {
        "description": "When payment was confirmed (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "cancelledAt": {
        "description": "When the order was cancelled (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "createdAt": {
        "description": "When the order was placed (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the order last changed in the provider (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    },
    "$defs": {
      "OrderLineItem": {
        "title": "OrderLineItem",
        "description": "One product line of an order.",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "quantity",
          "unitPrice"
        ],
        "properties": {
          "productId": {
            "description": "Lumio id of the product record, usually found with a `lookup` transform.",
            "type": "string"
          },
          "sku": {
            "description": "Stock keeping unit code.",
            "type": "string"
          },
          "name": {
            "description": "Product name as sold, including the variant, e.g. \"Camiseta Azul - M\".",
            "type": "string"
          },
          "quantity": {
            "description": "Units bought. Fractional for goods sold by weight.",
            "type": "number",
            "exclusiveMinimum": 0
          },
          "unitPrice": {
            "description": "Price of one unit before discounts.",
            "type": "number",
            "minimum": 0
          },
          "discount": {
            "description": "Discount on the whole line.",
            "type": "number",
            "minimum": 0
          },
          "total": {
            "description": "Amount of the line after discounts.",
            "type": "number",
            "minimum": 0
          }
        }
      }
    }
  },
  customer: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/customer.schema.json",
    "title": "Customer",
    "description": "A buyer account in a store. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "fullName"
    ],
    "properties": {
      "firstName": {
        "description": "Given name.",
        "type": "string"
      },
      "lastName": {
        "description": "Family name.",
        "type": "string"
      },
      "fullName": {
        "description": "Name as displayed. A mapping often builds it from first and last name with a `concat` transform.",
        "type": "string"
      },
      "email": {
        "description": "E-mail address.",
        "type": "string",
        "format": "email"
      },
      "phone": {
        "description": "Phone number, in E.164 form (e.g. \"+5521998765432\") when possible.",
        "type": "string"
      },
      "taxId": {
        "description": "National tax id: for Brazil the CPF (11 digits) or, for a business buyer, the CNPJ (14 digits), digits only.",
        "type": "string"
      },
      "birthDate": {
        "description": "Date of birth (YYYY-MM-DD).",
        "type": "string",
        "format": "date"
      },
      "acceptsMarketing": {
        "description": "Whether the customer agreed to receive marketing messages (a consent record under the LGPD).",
        "type": "boolean"
      },
      "ordersCount": {
        "description": "Number of orders placed.",
        "type": "integer",
        "minimum": 0
      },
      "totalSpent": {
        "description": "Total spent across all orders, in major units of `currency`.",
        "type": "number",
        "minimum": 0
      },
      "currency": {
        "description": "ISO 4217 code of `totalSpent`, e.g. \"BRL\".",
        "type": "string",
        "pattern": "^[A-Z]{3}$"
      },
      "defaultAddress": {
        "$ref": "common.schema.json#/$defs/Address",
        "description": "Default delivery address."
      },
      "note": {
        "description": "Staff note about the customer.",
        "type": "string"
      },
      "tags": {
        "description": "Labels attached to the customer.",
        "type": "array",
        "uniqueItems": true,
        "items": {
          "description": "One label.",
          "type": "string"
        }
      },
      "customFields": {
        "$ref": "common.schema.json#/$defs/CustomFields",
        "description": "Provider fields with no canonical counterpart."
      },
      "createdAt": {
        "description": "When the customer account was created (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the customer account last changed (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  message: {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.lumio.dev/canonical/message.schema.json",
    "title": "Message",
    "description": "One message sent or received on a messaging channel. Lumio assigns the record id outside this data.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "channel",
      "direction",
      "status"
    ],
    "properties": {
      "channel": {
        "description": "Channel the message travelled on.",
        "type": "string",
        "enum": [
          "whatsapp",
          "sms",
          "email",
          "instagram",
          "messenger",
          "telegram",
          "webchat",
          "other"
        ]
      },
      "direction": {
        "description": "\"inbound\" from a customer to the business, \"outbound\" from the business.",
        "type": "string",
        "enum": [
          "inbound",
          "outbound"
        ]
      },
      "from": {
        "description": "Sender address: an E.164 phone number, an e-mail address or a channel user id.",
        "type": "string"
      },
      "to": {
        "description": "Main recipient address, in the same forms as `from`.",
        "type": "string"
      },
      "cc": {
        "description": "Further recipients, for channels such as e-mail that have them.",
        "type": "array",
        "items": {
          "description": "One recipient address.",
          "type": "string"
        }
      },
      "subject": {
        "description": "Subject line, for e-mail.",
        "type": "string"
      },
      "body": {
        "description": "Message text. HTML when `contentType` is \"html\".",
        "type": "string"
      },
      "contentType": {
        "description": "Kind of content: plain \"text\", \"html\", an approved \"template\" (WhatsApp), \"media\" (image, audio, video or document) or \"other\".",
        "type": "string",
        "enum": [
          "text",
          "html",
          "template",
          "media",
          "other"
        ]
      },
      "templateName": {
        "description": "Name of the approved template, when `contentType` is \"template\".",
        "type": "string"
      },
      "mediaUrls": {
        "description": "URLs of attached media.",
        "type": "array",
        "items": {
          "description": "Absolute URL of one attachment.",
          "type": "string",
          "format": "uri"
        }
      },
      "status": {
        "description": "Delivery state: \"queued\", \"sent\" (accepted by the channel), \"delivered\" (reached the device or mailbox), \"read\" or \"failed\".",
        "type": "string",
        "enum": [
          "queued",
          "sent",
          "delivered",
          "read",
          "failed"
        ]
      },
      "errorCode": {
        "description": "Provider error code, when `status` is \"failed\".",
        "type": "string"
      },
      "errorMessage": {
        "description": "Provider error text, when `status` is \"failed\".",
        "type": "string"
      },
      "conversationId": {
        "description": "Provider id of the conversation or thread the message belongs to.",
        "type": "string"
      },
      "contactId": {
        "description": "Lumio id of the contact on the customer side, usually found with a `lookup` transform.",
        "type": "string"
      },
      "sentAt": {
        "description": "When the message was sent (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "deliveredAt": {
        "description": "When the message was delivered (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "readAt": {
        "description": "When the message was read (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "createdAt": {
        "description": "When the provider recorded the message (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "description": "When the message's status last changed (ISO 8601 date-time).",
        "type": "string",
        "format": "date-time"
      }
    }
  },
};
