export { createHttpClient, describeUrl } from './http-client.js';
export type { HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse, QueryValue } from './http-types.js';
export { isPrivateAddress, classifyAddress } from './private-address.js';
export { createGuardedLookup } from './guarded-lookup.js';
export type { LookupFunction } from './guarded-lookup.js';
export { assertHostAllowed, isHostAllowed, normalizeHost } from './allowed-hosts.js';
export { parseLinkHeader, findLinkUrl } from './link-header.js';
export type { WebLink } from './link-header.js';
