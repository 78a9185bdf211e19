// Support tools per connection: the connection test, time-limited debug logging of provider
// requests with redaction, per-connection request counts, metrics and the diagnostic report.
export { createDiagnostics } from './diagnostics.js';
export type { CreateDiagnosticsOptions, Diagnostics } from './diagnostics.js';
export { ConnectionDebugSwitch, DEFAULT_DEBUG_DURATION_SECONDS, MAX_DEBUG_DURATION_SECONDS } from './debug-switch.js';
export type { ConnectionDebugSwitchOptions, DebugState } from './debug-switch.js';
export { createDebugLog, MAX_LOGGED_BODY_CHARS } from './debug-log.js';
export { ConnectionRequestStats } from './request-stats.js';
export type { RequestStatsSummary } from './request-stats.js';
export { checkConnection } from './connection-check.js';
export type { ConnectionCheck } from './connection-check.js';
export { buildConnectionMetrics } from './connection-metrics.js';
export { buildDiagnosticReport } from './diagnostic-report.js';
export type { DiagnosticSources } from './diagnostic-report.js';
export { MASKED_EMAIL, MASKED_PHONE, REDACTED, maskText, redactBody, redactHeaders, redactQuery, redactUrl, replaceSecrets, secretForms } from './redact.js';
export { scrubSecrets } from './scrub-secrets.js';
export { platformVersion } from './platform-version.js';
