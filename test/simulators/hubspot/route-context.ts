import type { ObjectTypeName } from './object-types.js';
import type { RecordStore } from './record-store.js';
import type { SearchCache, SearchLimits } from './search.js';

/** What a CRM route handler gets for one request. */
export interface RouteContext {
  store: RecordStore;
  type: ObjectTypeName;
  /** The object type as written in the path ("contacts", "contact" or "0-1"), for links. */
  typeSegment: string;
  query: URLSearchParams;
  /** Returns the parsed JSON body, or raises HubSpot's 400 when the body is not valid JSON. */
  body(): unknown;
  /** Scheme, host and port the client used, e.g. "http://127.0.0.1:40123". */
  baseUrl: string;
  portalId: number;
  now: () => number;
  searchCache: SearchCache;
  searchLimits: SearchLimits;
}

/** A handler's response: status, and JSON text unless the status has no body. */
export interface RouteResult {
  status: number;
  json?: string;
  headers?: Record<string, string>;
}
