/**
 * HubSpot CRM v3 simulator: a node:http server on loopback that responds like HubSpot's
 * objects API for contacts, companies and deals, for connector tests, the demo and
 * benchmarks. Facts come from HubSpot's developer documentation and changelog, the
 * official Node.js client (@hubspot/api-client 13.5) and bodies integrations have logged.
 *
 * Reproduced:
 * - Paths `/crm/v3/objects/{type}` for `contacts`, `companies` and `deals`, also written
 *   as the singular name or the ids 0-1, 0-2 and 0-3. They serve list, get, create,
 *   PATCH, DELETE (archive), search, and batch read, create, update, upsert and archive.
 *   An unknown type gets 400 "Unable to infer object type from: …".
 * - `Authorization: Bearer <token>`. A missing or unknown token gets 401
 *   INVALID_AUTHENTICATION with HubSpot's message. Tokens listed as expired get 401
 *   EXPIRED_AUTHENTICATION.
 * - List: `limit` is 10 by default and at most 100, and more is a 400. Records come in
 *   numeric id order. `after` is the id to resume from (last id plus one), as HubSpot's
 *   cursor is. `paging.next.{after, link}` is present only when more records exist.
 *   `archived=true` lists only archived records, which carry `archivedAt`.
 * - Properties: every value is a string or null, sorted by name. Without `properties`
 *   each object returns HubSpot's defaults (for contacts: createdate, email, firstname,
 *   hs_object_id, lastmodifieddate, lastname). With `properties`, as a comma list or
 *   repeated, the requested ones come back plus createdate, hs_object_id and the
 *   last-modified property (`lastmodifieddate` for contacts, `hs_lastmodifieddate` for
 *   the others). Unset ones are null and unknown names are left out.
 * - Get by id takes `archived` and `idProperty` (a unique property such as a contact's
 *   email). A numeric id that does not exist gets 404 "resource not found" without a
 *   category. A non-numeric id gets 404 "Object not found.  objectId are usually
 *   numeric." with `context.id` and OBJECT_NOT_FOUND.
 * - Search: filterGroups are OR-ed and the filters inside a group AND-ed. Operators are
 *   EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY,
 *   CONTAINS_TOKEN (with `*` wildcards) and NOT_CONTAINS_TOKEN. Number and datetime
 *   properties compare as numbers, and datetime values may be epoch milliseconds or
 *   ISO 8601. Text compares case-insensitively and enumerations case-sensitively, and IN
 *   values for text must be lower case. One sort rule is allowed, as
 *   `{propertyName, direction}` or as "name" or "-name". Without a sort, results come in
 *   id order. Free-text `query` is supported. `limit` is 10 by default and at most 200,
 *   `after` is an offset, `total` is exact, and archived records never match. A request
 *   may have 5 filterGroups, 6 filters per group and 18 filters in total, as HubSpot's
 *   search guide states. Its 2024 changelog gives 10 and 25 instead (option
 *   `searchLimits`). A page that would reach past 10,000 results (after + limit >
 *   10,000) gets 400 VALIDATION_ERROR.
 * - Writes: create returns 201 with a Location header, PATCH 200, and DELETE 204 even for
 *   unknown ids. An empty string clears a value. Unknown or calculated properties and
 *   malformed e-mail addresses get 400 "Property values were not valid: [...]" with one
 *   `errors` item each (PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, INVALID_EMAIL). A contact
 *   e-mail that another contact has gets 409 CONFLICT "Contact already exists. Existing
 *   ID: <id>".
 * - Batches take at most 100 inputs and return `status: "COMPLETE"`, `startedAt` and
 *   `completedAt`. Read and update return 207 with `numErrors` and one OBJECT_NOT_FOUND
 *   error ("Could not get some CONTACT objects, …" with `context.ids`) for missing ids.
 *   Create writes all inputs or none (201). Upsert matches on a unique `idProperty` and
 *   marks created records `"new": true`.
 * - Errors have the shape `{status: "error", message, correlationId, errors?, context?,
 *   category?, subCategory?}`. Every response carries `X-HubSpot-Correlation-Id` (equal
 *   to the body's correlationId) and `Content-Type: application/json;charset=utf-8`.
 *   Malformed JSON gets 400 "Invalid input JSON on line L, column C: …".
 * - Rate limits per token: authenticated responses carry X-HubSpot-RateLimit-Daily,
 *   -Daily-Remaining, -Interval-Milliseconds, -Max, -Remaining, -Secondly and
 *   -Secondly-Remaining. Search responses carry none, because HubSpot's search endpoints
 *   have been reported to send none (option `searchHeaders` adds them). The defaults are
 *   100 requests per rolling 10 s (429 TEN_SECONDLY_ROLLING), 250,000 a day (429 DAILY)
 *   and 5 searches a second (429 SECONDLY). `daily: false` drops the daily limit and its
 *   headers, as for OAuth apps. Each 429 has HubSpot's body `{status, message, errorType:
 *   "RATE_LIMIT", correlationId, policyName, groupName or requestId}`. The official client
 *   retries the SECONDLY and TEN_SECONDLY_ROLLING bodies when `numberOfApiCallRetries`
 *   is 2 or more.
 *
 * Not reproduced:
 * - Associations, propertiesWithHistory, merge, GDPR delete, the properties, pipelines,
 *   owners and imports APIs, other object types, webhooks, OAuth endpoints, scopes (403
 *   MISSING_SCOPES) and `hapikey` authentication.
 * - Search indexing delay. HubSpot shows new and changed records in search after a few
 *   seconds, but the simulator shows them at once.
 * - Property schemas beyond the built-in lists. Enumeration options, number formats and
 *   HubSpot's other calculated properties are not validated.
 * - Texts HubSpot does not document (the limit, filter-count, 10,000-window, batch-size
 *   and invalid-cursor errors). These texts are the simulator's own, while the status
 *   and category match HubSpot's.
 * - Datetimes always have three fraction digits, although HubSpot may leave out a zero
 *   fraction.
 * - A Retry-After header on 429. The daily count also resets at UTC midnight rather than
 *   at midnight in the account's time zone.
 * - Behaviour HubSpot does not document, where the simulator makes its own choice:
 *   search results with equal sort values are ordered by id ascending, and records
 *   without a value sort last in both directions. NEQ, NOT_IN and NOT_CONTAINS_TOKEN
 *   match records without a value. An archived contact frees its e-mail address, and
 *   archiving does not change `updatedAt`.
 */
export { createHubSpotSimulator } from './simulator.js';
export type {
  HubSpotSimulator,
  HubSpotSimulatorOptions,
  HubSpotStartOptions,
  RunningHubSpotSimulator,
} from './simulator.js';
export type { AddRecordOptions, HubSpotRecord, HubSpotStore, RecordFilterOptions } from './public-store.js';
export type { PropertyInputValue } from './record-store.js';
export { generateSeedRecords } from './seed-data.js';
export type { HubSpotSeedOptions, ObjectSeedOptions, ObjectSeedSummary, SeedSummary } from './seed-data.js';
export type { HubSpotRateLimitOptions } from './rate-limiter.js';
export type { RateLimitPolicy } from './errors.js';
export { OBJECT_SCHEMAS } from './object-types.js';
export type { ObjectSchema, ObjectTypeName, PropertyType } from './object-types.js';
export type { MutationOperation } from './control-routes.js';
export { SEARCH_LIMITS } from './search.js';
export type { SearchLimits } from './search.js';
export { LIST_LIMITS } from './read-routes.js';
export type { LoggedRequest, RequestLog } from '../shared/index.js';
