/** The document's introduction, in the CommonMark subset the reference page renders. */
export const DOCUMENT_DESCRIPTION = [
  "The REST API of Lumio Integrations: connect providers, run and schedule syncs, read and write canonical records, receive provider webhooks and subscribe to Lumio's own events.",
  '',
  '**Authentication.** Send an API key as `Authorization: Bearer <key>`. The studio uses the `lumio_session` cookie instead, and sends `x-csrf-token` on every method except GET, HEAD and OPTIONS. Each operation names the permission it needs; a missing one is a 403 `PERMISSION_DENIED`. A resource of another workspace is a 404.',
  '',
  '**Errors.** Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`, a `detail` sentence and, when one field is at fault, `field`. A JSON body that breaks its operation\'s schema is a 400 `REQUEST_INVALID` whose `field` is the JSON pointer of the first violation and whose `errors` lists each one as `{field, code, message}`. Some older endpoints check required fields, allowed values and unknown names themselves, to suggest the closest valid name; for them the schema check covers JSON types only, and the other checks respond with `FIELD_REQUIRED`, `FIELD_INVALID` or `FIELD_UNKNOWN` and a dot-path `field`.',
  '',
  '**Languages.** `detail` and the `errors` messages follow `Accept-Language`: Brazilian Portuguese for any `pt` range, English otherwise (q-values are honoured, and English is the default). `Content-Language` names the language of the response. Codes without a Portuguese sentence keep their English `detail`.',
  '',
  '**Pagination.** Lists that can grow take `limit` and `cursor` and return `nextCursor`, which is null on the last page. Pass `nextCursor` as `cursor` to read the next page; cursors are opaque. Lists that are not paginated say why they are bounded.',
  '',
  '**Compression.** Responses larger than 1 KiB are compressed with Brotli or gzip when `Accept-Encoding` allows it (the higher q-value wins, Brotli on a tie). Responses to provider webhook deliveries are never compressed.',
].join('\n');

export const TAGS = [
  { name: 'Integrations', description: 'Connections to providers: connect, disconnect, read, health.' },
  { name: 'Syncs', description: 'Start syncs, follow their progress, schedule them, read their logs, preview them.' },
  { name: 'Records', description: 'Canonical records read from providers, and writes of records back to them.' },
  { name: 'Field mappings', description: 'Versioned mappings from provider fields to canonical fields.' },
  { name: 'Provider webhooks', description: 'Deliveries providers send, their settings, event log, replay and test.' },
  { name: 'Event subscriptions', description: "URLs that receive Lumio's own events, signed with Standard Webhooks." },
  { name: 'Actions', description: 'Single operations a connector offers besides syncing.' },
  { name: 'Operations', description: 'Support tools: connection test, metrics, debug mode, diagnostic report.' },
  { name: 'Access', description: 'Studio sessions, API keys and users.' },
  { name: 'Audit', description: 'Who changed what, and when.' },
  { name: 'Health', description: 'Health checks and Prometheus metrics.' },
  { name: 'Reference', description: 'This document and its reference page.' },
];
