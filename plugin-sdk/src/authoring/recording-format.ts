import type { PlatformHttpRequest } from './platform-runtime.js';

/** Version of the fixture and snapshot files; a reader rejects any other. */
export const FIXTURE_FORMAT = 1;

/** Folder of recorded HTTP exchanges, inside the connector folder. */
export const FIXTURES_FOLDER = 'fixtures';

/** Folder of the mapped records each replay must reproduce, inside the connector folder. */
export const SNAPSHOTS_FOLDER = 'snapshots';

export type StreamMode = 'full' | 'incremental';

/** A request or response body: parsed JSON, a URL-encoded form, or other text. */
export type RecordedBody = { json: unknown } | { form: string } | { text: string };

export interface RecordedRequest {
  method: string;
  /** Final URL, query included, with secrets and personal data redacted. */
  url: string;
  headers: Record<string, string>;
  body?: RecordedBody;
}

export interface RecordedResponse {
  status: number;
  /** Lower-case names; hop-by-hop headers, Date and Content-Length are left out. */
  headers: Record<string, string>;
  body: RecordedBody;
}

export interface RecordedExchange {
  request: RecordedRequest;
  response: RecordedResponse;
}

/** The connection a recording ran with, minus its credentials. */
export interface RecordedConnection {
  /** Connection config, with `secret` settings and personal data redacted. */
  config: Record<string, unknown>;
  /** The auth method type the recording used, e.g. "apiKey". */
  authMethod: string;
  /** Credential field names; a replay fills each with the placeholder the recording wrote. */
  credentialFields: string[];
}

/** One stream run saved as `fixtures/<object>.<mode>.json`. */
export interface Recording {
  format: typeof FIXTURE_FORMAT;
  connector: string;
  object: string;
  mode: StreamMode;
  connection: RecordedConnection;
  /** Stream state the run started from: null for a full run, the full run's last state for an incremental one. */
  startState: object | null;
  /** Every HTTP exchange, retries included, in the order they happened. */
  exchanges: RecordedExchange[];
}

/** One record of a snapshot: its id and what the default mapping made of it. */
export interface SnapshotRecord {
  externalId: string;
  deleted: boolean;
  /** Mapped canonical data, or the record after any plugin transform when the object has no default mapping. */
  data: unknown;
  /** Field mapping errors; left out when there are none. */
  errors?: { target: string; code: string; message: string }[];
}

/** The result of replaying one recording, saved as `snapshots/<object>.<mode>.json`. */
export interface Snapshot {
  format: typeof FIXTURE_FORMAT;
  object: string;
  mode: StreamMode;
  /** Canonical object of the default mapping; null when the object has none. */
  canonicalObject: string | null;
  records: SnapshotRecord[];
  /** Stream state after the last page: where the next incremental run starts. */
  state: object | null;
}

/** File name of a stream run's fixture and snapshot, e.g. "tasks.full.json". */
export function runFileName(object: string, mode: StreamMode): string {
  return `${object}.${mode}.json`;
}

/** Returns the placeholder a recording writes for a credential field, which a replay sends as the credential. */
export function credentialPlaceholder(field: string): string {
  return `redacted-${field}`;
}

/** Returns a request's final URL: `url` with each `query` entry set, or removed when null. */
export function finalUrl(request: Pick<PlatformHttpRequest, 'url' | 'query'>): URL {
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null || value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, String(value));
  }
  return url;
}

/** Converts a request body to its recorded form; bytes are kept as base64 text. */
export function recordBody(body: unknown): RecordedBody | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return { text: body };
  if (body instanceof Uint8Array) return { text: Buffer.from(body).toString('base64') };
  if (body instanceof URLSearchParams) return { form: body.toString() };
  return { json: body };
}
