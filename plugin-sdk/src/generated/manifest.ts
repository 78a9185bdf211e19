// Generated from schemas/connector-manifest.schema.json by plugin-sdk/scripts/generate-types.ts. Do not edit:
// change the schema and run `npm run generate:types` instead.

import type { CanonicalObjectName, FieldRule } from './field-mapping.js';

/**
 * A query parameter value. A string is a template.
 */
export type TemplateValue = string | number | boolean;
/**
 * One way of authenticating to the provider, chosen by `type`.
 */
export type AuthMethod =
  ApiKeyAuth | BasicAuth | BearerAuth | OAuth2AuthorizationCodeAuth | OAuth2ClientCredentialsAuth;
/**
 * How the next page of a listing is requested, chosen by `type`.
 */
export type Pagination =
  CursorPagination | OffsetPagination | PageNumberPagination | LinkHeaderPagination | NextUrlPagination;
/**
 * A delivery verification scheme, chosen by `scheme`.
 */
export type WebhookSignature = BuiltInSignature | HmacSignature;

/**
 * A Lumio connector manifest (manifest.json): how to connect and authenticate to one provider, which objects and actions it offers, how its requests are paginated, rate limited and retried, and how its records map to Lumio canonical objects.
 */
export interface ConnectorManifest {
  /**
   * URI or relative path of this JSON Schema, so that editors can validate and complete the file. Ignored by Lumio.
   */
  $schema?: string;
  /**
   * Version of the manifest format this document follows. Lumio uses it to migrate older manifests. The only version is 1.
   */
  manifestVersion: 1;
  /**
   * Stable connector id: a lower-case letter followed by 1 to 62 lower-case letters, digits or hyphens, e.g. "hubspot". Connections and stored mappings refer to it, so it never changes.
   */
  id: string;
  /**
   * Display name of the provider, e.g. "HubSpot".
   */
  name: string;
  /**
   * Semantic version (https://semver.org) of this connector definition, e.g. "1.4.0". Raise the major version when a change breaks existing connections or mappings.
   */
  version: string;
  /**
   * Catalog category the connector is listed under.
   */
  category:
    'crm' | 'ecommerce' | 'communication' | 'marketing' | 'notifications' | 'networking' | 'sales' | 'other';
  /**
   * One or two sentences shown in the connector catalog.
   */
  description: string;
  /**
   * Absolute URL of the provider's API documentation. Default: none.
   */
  documentationUrl?: string;
  connection: ConnectionDefinition;
  /**
   * Authentication methods the provider accepts. The first one is the default when a connection names none.
   *
   * @minItems 1
   */
  auth: AuthMethod[];
  rateLimits?: RateLimits;
  retry?: RetryPolicy;
  /**
   * Record types the connector reads and writes, by key. A key starts with a lower-case letter followed by letters, digits or underscores, e.g. "contacts".
   */
  objects: {
    [k: string]: ObjectDefinition;
  };
  /**
   * One-off operations the connector offers, by key, e.g. "sendMessage". Keys follow the same rule as `objects` keys. Default: none.
   */
  actions?: {
    [k: string]: ActionDefinition;
  };
  webhooks?: WebhookDefinition;
  /**
   * Default field mappings from connector objects to canonical objects, offered when a connection is created. Default: none.
   */
  mappings?: DefaultMapping[];
  plugin?: PluginEntry;
}
/**
 * What a connection must supply and where its requests go.
 */
export interface ConnectionDefinition {
  configSchema: ConfigSchema;
  /**
   * Template of the URL that every request path is appended to, e.g. "https://{{ config.shop }}.myshopify.com/admin/api/2024-10". Only `config.<name>` variables are available.
   */
  baseUrl: string;
  /**
   * Templates of host names, besides the host of `baseUrl`, that requests and next-page URLs may reach, e.g. "api.hubapi.com". Default: none.
   */
  allowedHosts?: string[];
  test?: ConnectionTest;
}
/**
 * A restricted JSON Schema object that lists the settings a connection supplies.
 */
export interface ConfigSchema {
  /**
   * Always "object".
   */
  type: 'object';
  /**
   * Settings by name. A name starts with a letter followed by letters, digits or underscores, so that templates can read it as `config.<name>`.
   */
  properties: {
    [k: string]: ConfigField;
  };
  /**
   * Names of settings a connection must supply. Default: none.
   */
  required?: string[];
}
/**
 * One connection setting.
 */
export interface ConfigField {
  /**
   * JSON type of the value.
   */
  type: 'string' | 'number' | 'integer' | 'boolean';
  /**
   * Label shown in the connection form. Default: the setting's name.
   */
  title?: string;
  /**
   * Help text shown under the field in the connection form.
   */
  description: string;
  /**
   * Value used when the connection supplies none. Default: none.
   */
  default?: string | number | boolean;
  /**
   * Allowed values, shown as a choice list. Default: any value of `type`.
   *
   * @minItems 1
   */
  enum?: (string | number)[];
  /**
   * ECMAScript regular expression a string value must match. Default: none.
   */
  pattern?: string;
  /**
   * Format a string value must have. Default: none.
   */
  format?: 'uri' | 'hostname' | 'email';
  /**
   * When true, the value is stored encrypted with the credentials and never returned by the API. Default: false.
   */
  secret?: boolean;
}
/**
 * How a connection is checked after it is saved.
 */
export interface ConnectionTest {
  request: RequestTemplate;
}
/**
 * An HTTP request. Strings in `path`, `query`, `headers` and `body` are templates: "{{ name }}" looks up a variable, and a string that is exactly one "{{ name }}" keeps the variable's JSON type.
 */
export interface RequestTemplate {
  /**
   * HTTP method.
   */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Template of the path appended to the base URL: empty, or starting with "/", e.g. "/crm/v3/objects/contacts/{{ id }}".
   */
  path: string;
  /**
   * Query parameters by name. String values are templates. Default: none.
   */
  query?: {
    [k: string]: TemplateValue;
  };
  /**
   * Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.
   */
  headers?: {
    /**
     * Header value template.
     */
    [k: string]: string;
  };
  /**
   * JSON request body. Strings inside it are templates. Default: none, so no body is sent.
   */
  body?: unknown;
  /**
   * Rate-limit group of this request, matched by budgets with scope "endpointGroup". Default: none.
   */
  endpointGroup?: string;
}
/**
 * A static API key sent in a header or a query parameter.
 */
export interface ApiKeyAuth {
  /**
   * Authentication method.
   */
  type: 'apiKey';
  /**
   * Where the key is sent.
   */
  in: 'header' | 'query';
  /**
   * Header or query parameter name, e.g. "X-Api-Key" or "api_key".
   */
  name: string;
  /**
   * Text sent before the key, e.g. "Token " (include any space). Default: none.
   */
  prefix?: string;
  /**
   * Key of the API key in the credentials a connection supplies. Default: "apiKey".
   */
  credentialField?: string;
}
/**
 * HTTP Basic authentication (RFC 7617) with a user name and password from the credentials.
 */
export interface BasicAuth {
  /**
   * Authentication method.
   */
  type: 'basic';
  /**
   * Key of the user name in the credentials. Default: "username".
   */
  usernameField?: string;
  /**
   * Key of the password in the credentials. Default: "password".
   */
  passwordField?: string;
}
/**
 * A static token sent as "Authorization: Bearer <token>", such as a private app token.
 */
export interface BearerAuth {
  /**
   * Authentication method.
   */
  type: 'bearer';
  /**
   * Key of the token in the credentials. Default: "accessToken".
   */
  credentialField?: string;
}
/**
 * OAuth 2.0 authorization code grant (RFC 6749 section 4.1): a user grants access in the browser and Lumio keeps and refreshes the tokens.
 */
export interface OAuth2AuthorizationCodeAuth {
  /**
   * Authentication method.
   */
  type: 'oauth2AuthorizationCode';
  /**
   * Template of the authorization endpoint the user is sent to. Only `config.<name>` variables are available.
   */
  authorizationUrl: string;
  /**
   * Template of the token endpoint. Only `config.<name>` variables are available.
   */
  tokenUrl: string;
  /**
   * Scopes requested, joined with `scopeSeparator`. May be empty.
   */
  scopes: string[];
  /**
   * Text that joins scopes in the request. Default: " " (one space).
   */
  scopeSeparator?: string;
  /**
   * When true, the authorization request uses PKCE (RFC 7636) with the S256 method.
   */
  pkce: boolean;
  /**
   * How the client id and secret reach the token endpoint: "body" as form fields, "basic" in an HTTP Basic header. Default: "body".
   */
  clientAuthentication?: 'body' | 'basic';
  /**
   * Extra query parameters of the authorization URL, by name, e.g. { "access_type": "offline" }. Values are templates over `config.<name>`. Default: none.
   */
  extraAuthorizationParams?: {
    /**
     * Parameter value template.
     */
    [k: string]: string;
  };
  tokenFields?: TokenFields;
  refresh: RefreshRules;
  /**
   * Token response fields kept as connection settings, e.g. Salesforce "instance_url" or Pipedrive "api_domain". Templates read them as `config.<name>`. Default: none.
   */
  connectionFields?: string[];
}
/**
 * Names of the token response fields, for providers that differ from RFC 6749.
 */
export interface TokenFields {
  /**
   * Dot path of the access token. Default: "access_token".
   */
  accessToken?: string;
  /**
   * Dot path of the refresh token. Default: "refresh_token".
   */
  refreshToken?: string;
  /**
   * Dot path of the access token lifetime in seconds. Default: "expires_in".
   */
  expiresIn?: string;
}
/**
 * When an access token counts as expired and is refreshed.
 */
export interface RefreshRules {
  /**
   * Seconds before the known expiry at which the token is refreshed. Default: 300.
   */
  refreshBeforeSeconds?: number;
  /**
   * Token lifetime in seconds assumed when the token response has no expiry. Default: none, so such a token is refreshed only when a response matches `expiredWhen`.
   */
  defaultExpiresInSeconds?: number;
  /**
   * Responses that mean the access token has expired. Any one matching triggers a refresh and one retry. Default: [{ "status": 401 }].
   */
  expiredWhen?: ResponseCondition[];
  /**
   * When true, a token response may carry a new refresh token that replaces the stored one. Default: false.
   */
  rotatesRefreshToken?: boolean;
}
/**
 * A test on an HTTP response. It matches when every given part matches. `equals` and `oneOf` need `bodyPath`.
 */
export interface ResponseCondition {
  /**
   * HTTP status code the response must have. Default: any status.
   */
  status?: number;
  /**
   * Dot path of a value in the JSON body, e.g. "errors.0.errorCode". Alone, it matches when the value is present and not null.
   */
  bodyPath?: string;
  /**
   * Value the body value at `bodyPath` must equal.
   */
  equals?: string | number | boolean;
  /**
   * Values one of which the body value at `bodyPath` must equal.
   *
   * @minItems 1
   */
  oneOf?: (string | number | boolean)[];
}
/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4): Lumio exchanges a client id and secret for an access token.
 */
export interface OAuth2ClientCredentialsAuth {
  /**
   * Authentication method.
   */
  type: 'oauth2ClientCredentials';
  /**
   * Template of the token endpoint. Only `config.<name>` variables are available.
   */
  tokenUrl: string;
  /**
   * Scopes requested. Default: none, so no scope parameter is sent.
   */
  scopes?: string[];
  /**
   * Text that joins scopes in the request. Default: " " (one space).
   */
  scopeSeparator?: string;
  /**
   * How the client id and secret reach the token endpoint: "body" as form fields, "basic" in an HTTP Basic header. Default: "body".
   */
  clientAuthentication?: 'body' | 'basic';
  tokenFields?: TokenFields;
  refresh: RefreshRules;
}
/**
 * Client-side request budgets and the provider's quota headers.
 */
export interface RateLimits {
  /**
   * Budgets that every request must fit. A request waits until each budget that applies to it has room.
   */
  budgets: RateLimitBudget[];
  quotaHeaders?: QuotaHeaders;
}
/**
 * One request budget, e.g. HubSpot's 100 requests per 10 seconds per app install.
 */
export interface RateLimitBudget {
  /**
   * Budget name, shown in logs and metrics.
   */
  name: string;
  /**
   * What shares the budget: "connection" (one connection), "account" (all connections to one provider account) or "endpointGroup" (requests of one connection whose RequestTemplate names `endpointGroup`).
   */
  scope: 'connection' | 'account' | 'endpointGroup';
  /**
   * Endpoint group this budget limits. It matches `endpointGroup` in request templates. Required when `scope` is "endpointGroup".
   */
  endpointGroup?: string;
  /**
   * "tokenBucket" refills continuously and allows bursts up to `limit`. "slidingWindow" allows at most `limit` requests in any `intervalMs` window.
   */
  algorithm: 'tokenBucket' | 'slidingWindow';
  /**
   * Requests per window (sliding window) or bucket capacity in requests (token bucket).
   */
  limit: number;
  /**
   * Window length, or time to refill an empty bucket, in milliseconds.
   */
  intervalMs: number;
}
/**
 * Names and format of the response headers that report the provider's quota.
 */
export interface QuotaHeaders {
  /**
   * How the headers are written: "plain" numbers in separate headers, "shopifyCallLimit" ("used/limit" in `remaining`, e.g. "32/40") or "sforceLimitInfo" ("api-usage=used/limit" in `remaining`). Default: "plain".
   */
  format?: 'plain' | 'shopifyCallLimit' | 'sforceLimitInfo';
  /**
   * Header with the requests left in the current window, e.g. "X-HubSpot-RateLimit-Remaining". Default: none.
   */
  remaining?: string;
  /**
   * Header with the window's total requests, e.g. "X-HubSpot-RateLimit-Max". Default: none.
   */
  limit?: string;
  /**
   * Header with the window length in milliseconds, e.g. "X-HubSpot-RateLimit-Interval-Milliseconds". Default: none.
   */
  intervalMs?: string;
  /**
   * Header that tells when the window resets, in `resetUnit`. Default: none.
   */
  reset?: string;
  /**
   * Unit of the `reset` header: a delay in "seconds" or "milliseconds", or an instant in "epochSeconds" or "epochMilliseconds". Default: "seconds".
   */
  resetUnit?: 'seconds' | 'milliseconds' | 'epochSeconds' | 'epochMilliseconds';
}
/**
 * Retries with exponential backoff and full jitter. A wait header from the provider takes precedence over the computed delay.
 */
export interface RetryPolicy {
  /**
   * Retries after the first attempt. Default: 5.
   */
  maxAttempts?: number;
  /**
   * Delay before the first retry in milliseconds, doubled for each later retry. Default: 1000.
   */
  baseDelayMs?: number;
  /**
   * Upper bound of one delay in milliseconds. Default: 16000.
   */
  maxDelayMs?: number;
  /**
   * HTTP statuses retried with backoff. Default: [429, 502, 503, 504].
   */
  retryableStatuses?: number[];
  /**
   * HTTP statuses that mean the rate limit was hit, so the limiter also slows down. Default: [429].
   */
  rateLimitedStatuses?: number[];
  /**
   * HTTP statuses that mean the access token expired, so it is refreshed before one retry. Default: [401].
   */
  authExpiredStatuses?: number[];
  /**
   * When true, connection resets and timeouts are retried. Default: true.
   */
  retryOnNetworkError?: boolean;
  /**
   * Response header with the time to wait before retrying, in seconds or as an HTTP-date. Default: "Retry-After".
   */
  waitHeader?: string;
  /**
   * Rules that classify a response by its body, e.g. a THROTTLED error inside a 200 response. The first matching rule wins. Default: none.
   */
  bodyRules?: RetryBodyRule[];
}
/**
 * A response test and how a matching response is treated.
 */
export interface RetryBodyRule {
  when: ResponseCondition;
  /**
   * "retryable" retries with backoff, "rateLimited" retries and slows the limiter, "authExpired" refreshes the token and retries once, "fatal" fails without retrying.
   */
  outcome: 'retryable' | 'rateLimited' | 'authExpired' | 'fatal';
}
/**
 * One record type of the provider and the operations on it.
 */
export interface ObjectDefinition {
  /**
   * Plural display name, e.g. "Contacts".
   */
  label: string;
  /**
   * What a record of this object is, shown in the mapping studio.
   */
  description: string;
  recordSchema: RecordSchema;
  /**
   * Dot path of the record's id in a provider record, e.g. "id".
   */
  primaryKey: string;
  operations: ObjectOperations;
  incremental?: IncrementalSync;
  deletions?: DeletionDetection;
  /**
   * Seconds a record read by `get` may be served from cache. Default: 0 (no cache).
   */
  cacheTtlSeconds?: number;
  /**
   * Whether a `get` read that misses the response cache may be answered by the record as syncs and webhook events stored it, when it was stored less than `cacheTtlSeconds` ago. Set it only when the provider returns a record from `get` in the same shape as in list pages. Needs `cacheTtlSeconds` and a `get` operation. Default: false.
   */
  cacheFromRecordStore?: boolean;
}
/**
 * A restricted JSON Schema object: the fields of a record, with nested objects and arrays allowed.
 */
export interface RecordSchema {
  /**
   * Always "object".
   */
  type: 'object';
  /**
   * Fields by name. A name may not contain ".", "[" or "]" because those build dot paths.
   */
  properties: {
    [k: string]: RecordField;
  };
}
/**
 * One field of a record.
 */
export interface RecordField {
  /**
   * JSON type of the value, or a list of types, e.g. ["string", "null"].
   */
  type:
    | ('string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null')
    | ('string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null')[];
  /**
   * Description of the field, shown in the mapping studio. Default: none.
   */
  description?: string;
  /**
   * JSON Schema format of a string value, e.g. "date-time" or "email". Default: none.
   */
  format?: string;
  /**
   * Fields of an object value, by name, with the same naming rule as RecordSchema. Default: none.
   */
  properties?: {
    [k: string]: RecordField;
  };
  items?: RecordField;
}
/**
 * Requests available on an object. Each is optional.
 */
export interface ObjectOperations {
  list?: ListOperation;
  search?: ListOperation;
  get?: RequestOperation;
  count?: CountOperation;
  create?: RequestOperation;
  update?: RequestOperation;
  delete?: RequestOperation;
  batchCreate?: BatchOperation;
  batchUpdate?: BatchOperation;
  batchUpsert?: BatchOperation;
  listDeleted?: ListOperation;
}
/**
 * A request that returns pages of records.
 */
export interface ListOperation {
  /**
   * HTTP method.
   */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Template of the path appended to the base URL: empty, or starting with "/", e.g. "/crm/v3/objects/contacts/{{ id }}".
   */
  path: string;
  /**
   * Query parameters by name. String values are templates. Default: none.
   */
  query?: {
    [k: string]: TemplateValue;
  };
  /**
   * Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.
   */
  headers?: {
    /**
     * Header value template.
     */
    [k: string]: string;
  };
  /**
   * JSON request body. Strings inside it are templates. Default: none, so no body is sent.
   */
  body?: unknown;
  /**
   * Rate-limit group of this request, matched by budgets with scope "endpointGroup". Default: none.
   */
  endpointGroup?: string;
  recordSelector: RecordSelector;
  pagination?: Pagination;
  /**
   * Dot path of the total record count in the response, e.g. HubSpot search "total". Default: none.
   */
  totalPath?: string;
  /**
   * Pages after which a listing stops with an error, to end a provider loop. Default: 100000.
   */
  maxPages?: number;
}
/**
 * Location of records in a response body.
 */
export interface RecordSelector {
  /**
   * Dot path of the record or array of records, e.g. "results". "" selects the whole body.
   */
  path: string;
}
/**
 * The response carries an opaque cursor that the next request sends back. Templates read it as `{{ cursor }}`.
 */
export interface CursorPagination {
  /**
   * Pagination style.
   */
  type: 'cursor';
  /**
   * Dot path of the next cursor in the response body, e.g. "paging.next.after". An absent, null or empty cursor marks the last page.
   */
  cursorPath: string;
  /**
   * Where the cursor is sent: a query parameter, or a field of the JSON body (not allowed with GET).
   */
  in: 'query' | 'body';
  /**
   * Query parameter name, or dot path in the JSON body, that carries the cursor, e.g. "after".
   */
  param: string;
  /**
   * Records requested per page, sent in `pageSizeParam` and available as `{{ pageSize }}`. Default: none, so the provider's page size applies.
   */
  pageSize?: number;
  /**
   * Query parameter name, or body dot path when `in` is "body", that carries `pageSize`, e.g. "limit". Default: none.
   */
  pageSizeParam?: string;
}
/**
 * Each request sends the number of records to skip.
 */
export interface OffsetPagination {
  /**
   * Pagination style.
   */
  type: 'offset';
  /**
   * Where offset and limit are sent: query parameters, or fields of the JSON body (not allowed with GET).
   */
  in: 'query' | 'body';
  /**
   * Name (or body dot path) of the offset parameter. The first page sends 0.
   */
  offsetParam: string;
  /**
   * Name (or body dot path) of the page size parameter.
   */
  limitParam: string;
  /**
   * Records requested per page. Also available as `{{ pageSize }}`.
   */
  pageSize: number;
  /**
   * Dot path of the total record count in the response. Listing stops when the offset reaches it. Default: none, so listing stops on a page shorter than `pageSize`.
   */
  totalPath?: string;
}
/**
 * Each request sends a page number.
 */
export interface PageNumberPagination {
  /**
   * Pagination style.
   */
  type: 'pageNumber';
  /**
   * Where the page number is sent: a query parameter, or a field of the JSON body (not allowed with GET).
   */
  in: 'query' | 'body';
  /**
   * Name (or body dot path) of the page number parameter.
   */
  pageParam: string;
  /**
   * Number of the first page. Default: 1.
   */
  startPage?: number;
  /**
   * Name (or body dot path) of the page size parameter. Default: none.
   */
  pageSizeParam?: string;
  /**
   * Records requested per page. Also available as `{{ pageSize }}`. Default: none, so the provider's page size applies.
   */
  pageSize?: number;
  /**
   * Dot path of the number of pages in the response. Listing stops after that page. Default: none, so listing stops on a short or empty page.
   */
  totalPagesPath?: string;
}
/**
 * The next page's URL comes in the Link response header (RFC 8288), as Shopify and GitHub send it.
 */
export interface LinkHeaderPagination {
  /**
   * Pagination style.
   */
  type: 'linkHeader';
  /**
   * Link relation of the next page. Default: "next".
   */
  rel?: string;
}
/**
 * The response body carries the absolute URL of the next page.
 */
export interface NextUrlPagination {
  /**
   * Pagination style.
   */
  type: 'nextUrl';
  /**
   * Dot path of the next page URL in the body, e.g. "links.next". The URL must stay on the base URL's host or an allowed host. An absent, null or empty value marks the last page.
   */
  path: string;
}
/**
 * A request that reads or writes one record.
 */
export interface RequestOperation {
  /**
   * HTTP method.
   */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Template of the path appended to the base URL: empty, or starting with "/", e.g. "/crm/v3/objects/contacts/{{ id }}".
   */
  path: string;
  /**
   * Query parameters by name. String values are templates. Default: none.
   */
  query?: {
    [k: string]: TemplateValue;
  };
  /**
   * Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.
   */
  headers?: {
    /**
     * Header value template.
     */
    [k: string]: string;
  };
  /**
   * JSON request body. Strings inside it are templates. Default: none, so no body is sent.
   */
  body?: unknown;
  /**
   * Rate-limit group of this request, matched by budgets with scope "endpointGroup". Default: none.
   */
  endpointGroup?: string;
  recordSelector?: RecordSelector;
}
/**
 * A request that returns the number of records.
 */
export interface CountOperation {
  /**
   * HTTP method.
   */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Template of the path appended to the base URL: empty, or starting with "/", e.g. "/crm/v3/objects/contacts/{{ id }}".
   */
  path: string;
  /**
   * Query parameters by name. String values are templates. Default: none.
   */
  query?: {
    [k: string]: TemplateValue;
  };
  /**
   * Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.
   */
  headers?: {
    /**
     * Header value template.
     */
    [k: string]: string;
  };
  /**
   * JSON request body. Strings inside it are templates. Default: none, so no body is sent.
   */
  body?: unknown;
  /**
   * Rate-limit group of this request, matched by budgets with scope "endpointGroup". Default: none.
   */
  endpointGroup?: string;
  /**
   * Dot path of the count in the response, e.g. "total".
   */
  totalPath: string;
}
/**
 * A request that writes several records. Larger writes are split into batches of `maxBatchSize`.
 */
export interface BatchOperation {
  /**
   * HTTP method.
   */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Template of the path appended to the base URL: empty, or starting with "/", e.g. "/crm/v3/objects/contacts/{{ id }}".
   */
  path: string;
  /**
   * Query parameters by name. String values are templates. Default: none.
   */
  query?: {
    [k: string]: TemplateValue;
  };
  /**
   * Extra request headers by name. Values are templates. Authentication headers are added by the auth method. Default: none.
   */
  headers?: {
    /**
     * Header value template.
     */
    [k: string]: string;
  };
  /**
   * JSON request body. Strings inside it are templates. Default: none, so no body is sent.
   */
  body?: unknown;
  /**
   * Rate-limit group of this request, matched by budgets with scope "endpointGroup". Default: none.
   */
  endpointGroup?: string;
  /**
   * Maximum records in one request, e.g. 100 for HubSpot.
   */
  maxBatchSize: number;
  /**
   * Dot path in the request body where the array of records goes, e.g. "inputs".
   */
  inputsPath: string;
  resultsSelector: RecordSelector;
  /**
   * Dot path of the per-record errors in the response, e.g. "errors". Default: none, so a 2xx response means every record was written.
   */
  errorsPath?: string;
}
/**
 * How records changed since the last sync are read, by filtering on a modification cursor.
 */
export interface IncrementalSync {
  /**
   * Operation that reads changes. Its templates may use `{{ incremental.since }}` and `{{ incremental.tieBreaker }}`.
   */
  operation: 'list' | 'search';
  /**
   * Dot path of the modification time in a record, e.g. "properties.lastmodifieddate". The largest value seen becomes the saved cursor.
   */
  cursorField: string;
  /**
   * Format of `cursorField` values: ISO 8601 text, or milliseconds or seconds since the Unix epoch.
   */
  cursorFormat: 'iso8601' | 'epochMilliseconds' | 'epochSeconds';
  /**
   * Format of `{{ incremental.since }}` in requests. Default: `cursorFormat`.
   */
  sendAs?: 'iso8601' | 'epochMilliseconds' | 'epochSeconds';
  /**
   * Dot path of a second sort field, e.g. "id", that orders records sharing one cursor value. Default: none.
   */
  tieBreakerField?: string;
  /**
   * Value of `{{ incremental.tieBreaker }}` before any tie-breaker is known. Default: "0".
   */
  tieBreakerStart?: string;
  /**
   * Seconds subtracted from the saved cursor, to re-read records whose change became visible late. Default: 0.
   */
  lookbackSeconds?: number;
  /**
   * Maximum records one query can page through, e.g. 10000 for HubSpot search. When reached, the query restarts from the last record's cursor and tie-breaker. Default: no limit.
   */
  windowLimit?: number;
}
/**
 * How deleted provider records are found.
 */
export interface DeletionDetection {
  /**
   * "listDeleted" reads the `listDeleted` operation, "missingInFullSync" treats records absent from a complete full sync as deleted, "flag" reads a boolean at `flagPath`.
   */
  strategy: 'listDeleted' | 'missingInFullSync' | 'flag';
  /**
   * Dot path of a boolean in the record that is true for a deleted record, e.g. "archived". Required when `strategy` is "flag".
   */
  flagPath?: string;
}
/**
 * A one-off operation, such as sending a message, run with input parameters.
 */
export interface ActionDefinition {
  /**
   * Display name, e.g. "Send WhatsApp template".
   */
  label: string;
  /**
   * What the action does.
   */
  description: string;
  input: RecordSchema;
  request: RequestTemplate;
  outputSelector?: RecordSelector;
  /**
   * When true, the action's requests go ahead of bulk sync requests in the rate limiter. Default: true.
   */
  interactive?: boolean;
}
/**
 * How webhook deliveries from the provider are verified and turned into record events.
 */
export interface WebhookDefinition {
  signature: WebhookSignature;
  handshake?: WebhookHandshake;
  /**
   * Body encoding of a delivery: "json", "form" (application/x-www-form-urlencoded) or "xml".
   */
  contentType: 'json' | 'form' | 'xml';
  /**
   * Where a batch of events sits in the body. Default: none, so the body is one event.
   */
  events?: {
    /**
     * Dot path of the array of events. "" means the body itself is the array.
     */
    path: string;
  };
  eventId?: ValueLocation;
  eventType?: ValueLocation;
  occurredAt?: ValueLocation;
  /**
   * How the connection is found from a payload value, e.g. HubSpot "portalId". Default: none, so the connection id is in the webhook URL.
   */
  connectionLookup?: {
    from: ValueLocation;
    /**
     * Connection setting (a `configSchema` property or an OAuth `connectionFields` entry) whose value must equal it.
     */
    configField: string;
  };
  /**
   * What each event type does. The first matching route wins. Default: none, so events are stored without action.
   */
  routes?: WebhookRoute[];
}
/**
 * A provider's documented verification scheme, implemented by Lumio.
 */
export interface BuiltInSignature {
  /**
   * Scheme name. "basic-auth" checks HTTP Basic credentials, "url-secret" a secret in the webhook URL, and "plugin" calls the connector plugin's verifyWebhook hook once per webhook secret.
   */
  scheme:
    | 'shopify'
    | 'hubspot-v1'
    | 'hubspot-v2'
    | 'hubspot-v3'
    | 'stripe'
    | 'meta'
    | 'slack'
    | 'standard-webhooks'
    | 'github'
    | 'twilio'
    | 'linkedin'
    | 'mailchimp'
    | 'pipedrive'
    | 'salesforce-outbound'
    | 'basic-auth'
    | 'url-secret'
    | 'plugin';
  /**
   * For schemes with a timestamp, the maximum age or clock skew of a delivery in seconds. Default: 300.
   */
  toleranceSeconds?: number;
}
/**
 * A generic HMAC signature over a template of the delivery.
 */
export interface HmacSignature {
  /**
   * Verification scheme.
   */
  scheme: 'hmac';
  /**
   * Request header that carries the signature.
   */
  header: string;
  /**
   * Hash function of the HMAC.
   */
  algorithm: 'sha1' | 'sha256' | 'sha512';
  /**
   * Encoding of the signature in the header.
   */
  encoding: 'hex' | 'base64';
  /**
   * Text before the signature in the header, e.g. "sha256=". Default: none.
   */
  prefix?: string;
  /**
   * Template of the signed bytes over `{{ method }}`, `{{ url }}`, `{{ timestamp }}`, `{{ id }}` and `{{ body }}` (the raw body), e.g. "{{ timestamp }}.{{ body }}".
   */
  signedContent: string;
  /**
   * Header with the delivery timestamp, checked against `toleranceSeconds`. Default: none, so no timestamp is checked.
   */
  timestampHeader?: string;
  /**
   * Unit of the timestamp header since the Unix epoch. Default: "seconds".
   */
  timestampUnit?: 'seconds' | 'milliseconds';
  /**
   * Maximum difference in seconds, in either direction, between the timestamp and the receive time. Default: 300.
   */
  toleranceSeconds?: number;
  /**
   * Header with the delivery id, available as `{{ id }}`. Default: none.
   */
  idHeader?: string;
}
/**
 * A subscription verification request that the webhook endpoint responds to.
 */
export interface WebhookHandshake {
  /**
   * Handshake style: Meta's hub.challenge, Slack's url_verification, LinkedIn's challengeCode, or Mailchimp's GET check.
   */
  type: 'metaChallenge' | 'slackUrlVerification' | 'linkedinChallenge' | 'mailchimpGet';
}
/**
 * Where a value is in a webhook delivery.
 */
export interface ValueLocation {
  /**
   * Part of the delivery: a header, the (per-event) body, or the query string.
   */
  in: 'header' | 'body' | 'query';
  /**
   * Header name, query parameter name, or dot path in the event body.
   */
  path: string;
}
/**
 * What an event type does to a record.
 */
export interface WebhookRoute {
  /**
   * Exact event type, e.g. "contact.propertyChange", or a prefix ending in "*", e.g. "contact.*".
   */
  eventType: string;
  /**
   * Key of the manifest object the event is about.
   */
  object: string;
  /**
   * "fetch" reads the record with `get`, "upsert" stores the event payload as the record, "delete" marks the record deleted.
   */
  action: 'fetch' | 'upsert' | 'delete';
  /**
   * Dot path of the record id in the event, e.g. "objectId".
   */
  idPath: string;
  /**
   * For events whose statuses may arrive out of order, such as WhatsApp message statuses: where the status is in the event and its values from first to last. A stored record is not overwritten by an event whose status comes earlier in this list, so a "delivered" that arrives after "read" changes nothing. Only "upsert" routes use it. Default: none.
   */
  statusOrder?: {
    /**
     * Dot path of the status in the event, e.g. "status".
     */
    path: string;
    /**
     * Status values in the order they happen, e.g. ["sent", "delivered", "read"].
     *
     * @minItems 2
     */
    values: string[];
  };
}
/**
 * A field mapping offered by default for new connections.
 */
export interface DefaultMapping {
  /**
   * Key of the manifest object whose records are mapped, e.g. "contacts".
   */
  object: string;
  canonicalObject: CanonicalObjectName;
  /**
   * Field rules, applied in order.
   */
  fields: FieldRule[];
}
/**
 * Sandboxed plugin code and the host capabilities it may use.
 */
export interface PluginEntry {
  /**
   * Path of the plugin source file relative to manifest.json, e.g. "plugin/index.ts". It must stay inside the connector directory.
   */
  entry: string;
  /**
   * Host capabilities the plugin may call: "http" (requests through the connection's auth, limits and allowed hosts), "state" (a per-connection key-value store), "log" and "crypto" (hashes and HMAC).
   */
  capabilities: ('http' | 'state' | 'log' | 'crypto')[];
  /**
   * Resource limits of one plugin call. A limit left out gets the platform's default; a value above the platform's maximum is lowered to it, with a warning in the platform log.
   */
  limits?: {
    /**
     * Heap limit in megabytes. Default: LUMIO_SANDBOX_MEMORY_MB (64 unless the operator sets it); at most LUMIO_SANDBOX_MAX_MEMORY_MB (512 unless set). Values under 8 count as 8.
     */
    memoryMb?: number;
    /**
     * CPU time limit in milliseconds. Default: LUMIO_SANDBOX_CPU_MS (1000 unless the operator sets it); at most LUMIO_SANDBOX_MAX_CPU_MS (30000 unless set).
     */
    cpuTimeMs?: number;
    /**
     * Elapsed time limit in milliseconds, including waits for host calls. Default: LUMIO_SANDBOX_WALL_MS (30000 unless the operator sets it); at most LUMIO_SANDBOX_MAX_WALL_MS (300000 unless set).
     */
    wallTimeMs?: number;
  };
}
