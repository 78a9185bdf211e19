import type { PluginEntry } from '../generated/manifest.js';

// Types of connector plugins. A plugin runs in an isolate with no Node API, no network
// and no secret: everything it receives and returns is copied as plain JSON data, and it
// reaches the outside world only through the host functions in `PluginContext`.

/** A JSON value: the only kind of data that crosses between the host and a plugin. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value or a promise of it; every hook may be sync or async. */
export type MaybePromise<T> = T | Promise<T>;

/** A host capability a manifest grants in `plugin.capabilities`. */
export type PluginCapability = PluginEntry['capabilities'][number];

/** Resource limits of one plugin call, as the manifest's `plugin.limits` declares them. */
export type PluginLimits = NonNullable<PluginEntry['limits']>;

export type PluginHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A provider request. The host renders nothing in it: it applies the connection's auth,
 * rate limits, retries and allowed hosts, then sends it.
 */
export interface PluginHttpRequest {
  method: PluginHttpMethod;
  /** Path appended to the connection's base URL, starting with "/". Give `path` or `url`, not both. */
  path?: string;
  /** Absolute URL on one of the connector's allowed hosts, e.g. a next-page link from a response. */
  url?: string;
  /** Query parameters; null leaves a parameter out. */
  query?: Record<string, string | number | boolean | null>;
  /** Extra headers. Authentication headers are added by the host. */
  headers?: Record<string, string>;
  /** JSON request body. Default: none. */
  body?: JsonValue;
}

/** A provider response as the host hands it to a plugin. */
export interface PluginHttpResponse {
  status: number;
  /** Response headers with lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else the text. */
  body: unknown;
}

/** A response page and the request that fetched it, the input of `paginate`. */
export interface PluginPageResponse extends PluginHttpResponse {
  request: PluginHttpRequest;
}

/** One webhook delivery as the platform received it, for `verifyWebhook` and `parseWebhook`. */
export interface WebhookDelivery {
  method: string;
  /** Request path, without the query. */
  path: string;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The body exactly as received, decoded as UTF-8; signatures are computed over it. */
  rawBody: string;
  /** ISO 8601 time the platform received the delivery. */
  receivedAt: string;
}

/** An event a plugin found in a webhook delivery. */
export interface WebhookEvent {
  /** Event type, matched against the manifest's webhook routes, e.g. "contact.creation". */
  type: string;
  /** Provider's event id, for duplicate detection. */
  id?: string | number;
  payload: JsonValue;
}

/** Input of `readStream`: which page of an object to read. */
export interface ReadStreamRequest {
  /** Manifest object key, e.g. "contacts". */
  object: string;
  mode: 'full' | 'incremental';
  /** The `nextState` the previous page returned; null requests the first page. */
  state: JsonValue | null;
  /** The last `cursor` a finished run returned, for incremental reads; null when none is known. */
  cursor: JsonValue | null;
}

/** One page read by `readStream`. */
export interface ReadStreamPage {
  records: unknown[];
  /** State that reads the next page, passed back as `request.state`; null ends the stream. */
  nextState: JsonValue | null;
  /** Position to start the next incremental run from, kept when the run finishes. */
  cursor?: JsonValue;
}

/** Per-connection key-value store. Values are JSON; keys are 1 to 200 characters. */
export interface StateCapability {
  get(key: string): Promise<JsonValue | null>;
  set(key: string, value: JsonValue): Promise<void>;
  /** Resolves to whether the key existed. */
  delete(key: string): Promise<boolean>;
}

export interface HttpCapability {
  /** Sends a request through the platform's request pipeline; a non-2xx status rejects with `status` set on the error. */
  request(request: PluginHttpRequest): Promise<PluginHttpResponse>;
}

/** Log lines go to the platform's log with the connector and connection ids. */
export interface LogCapability {
  info(message: string, fields?: Record<string, JsonValue>): void;
  warn(message: string, fields?: Record<string, JsonValue>): void;
  error(message: string, fields?: Record<string, JsonValue>): void;
}

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type HashAlgorithm = HmacAlgorithm | 'md5';

export interface DigestOptions {
  /** Encoding of `data`. Default "utf8". */
  inputEncoding?: 'utf8' | 'base64' | 'hex';
  /** Encoding of the returned digest. Default "hex". */
  outputEncoding?: 'hex' | 'base64' | 'base64url';
}

/** Hashes and MACs computed by the host. A plugin names a key and never receives it. */
export interface CryptoCapability {
  /**
   * Computes an HMAC with the secret that `keyRef` names: a credential field of the
   * connection, such as "clientSecret", or a key the calling feature supplies.
   */
  hmac(keyRef: string, algorithm: HmacAlgorithm, data: string, options?: DigestOptions): Promise<string>;
  hash(algorithm: HashAlgorithm, data: string, options?: DigestOptions): Promise<string>;
  /** Compares two strings in constant time for equal lengths; different lengths are unequal. */
  timingSafeEqual(a: string, b: string): Promise<boolean>;
}

/** Names of the hooks a plugin may define; actions are called through the `action` hook. */
export const PLUGIN_HOOK_NAMES = ['transformPage', 'buildRequest', 'paginate', 'parseWebhook', 'verifyWebhook', 'readStream'] as const;

export type PluginHookName = (typeof PLUGIN_HOOK_NAMES)[number];

/** A hook call: one of the hook names, or "action" for an entry of `actions`. */
export type PluginCallName = PluginHookName | 'action';

/**
 * The second argument of every hook. Only the capabilities the manifest lists work, and
 * calling another one fails with an error naming the capability to add.
 */
export interface PluginContext {
  connectorId: string;
  /** Lumio connection the call serves; null when the call serves no connection. */
  connectionId: string | null;
  hook: PluginCallName;
  /** Action name when `hook` is "action", else null. */
  action: string | null;
  /** Manifest object key the call is about, when there is one. */
  object: string | null;
  /** The connection's config (never its credentials). */
  config: Record<string, JsonValue>;
  http: HttpCapability;
  state: StateCapability;
  log: LogCapability;
  crypto: CryptoCapability;
}

/** An action: a named operation called with JSON input, returning JSON output. */
export type PluginAction = (input: JsonValue, context: PluginContext) => MaybePromise<unknown>;

/** Hooks a plugin defines; each is optional. */
export interface PluginDefinition {
  /**
   * Changes a page of records after record selection and before field mapping. It may
   * drop or add records, and each returned record must keep its primary key: a full
   * sync marks stored records it no longer receives as deleted.
   */
  transformPage?(records: unknown[], context: PluginContext): MaybePromise<unknown[]>;
  /** Adds or signs fields of a request before it is sent; the host applies auth afterwards. */
  buildRequest?(request: PluginHttpRequest, context: PluginContext): MaybePromise<PluginHttpRequest>;
  /** Returns the request of the next page, or null after the last page. */
  paginate?(response: PluginPageResponse, context: PluginContext): MaybePromise<PluginHttpRequest | null>;
  /** Splits a verified delivery into events for the manifest's routes. */
  parseWebhook?(delivery: WebhookDelivery, context: PluginContext): MaybePromise<WebhookEvent[]>;
  /** Checks a delivery's signature, computing MACs with `context.crypto`. */
  verifyWebhook?(delivery: WebhookDelivery, context: PluginContext): MaybePromise<boolean>;
  /** Reads one page of an object whose manifest declares no `list` request. */
  readStream?(request: ReadStreamRequest, context: PluginContext): MaybePromise<ReadStreamPage>;
  actions?: Record<string, PluginAction>;
}
