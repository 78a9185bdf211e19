// The audit log: entries for API changes made by authenticated callers, events recorded
// outside a request (such as sign-ins), and the job that enforces retention.
export { auditRequests } from './audit-requests.js';
export type { AuditRequestsOptions } from './audit-requests.js';
export { auditActionFor } from './audit-actions.js';
export { recordAuditEvent } from './record-audit-event.js';
export type { AuditEvent } from './record-audit-event.js';
export { AUDIT_RETENTION_JOB, AuditRetention } from './audit-retention.js';
export type { AuditRetentionJobPayload, AuditRetentionOptions } from './audit-retention.js';
