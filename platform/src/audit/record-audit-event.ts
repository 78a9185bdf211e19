import type { Logger } from '../observability/index.js';
import type { AuditEntry, NewAuditEntry, Store } from '../store/index.js';

/**
 * An event to audit that no authenticated request carries, such as a failed sign-in.
 * Fields left out are stored as null; `occurredAt` defaults to now.
 */
export interface AuditEvent {
  /** The workspace the event belongs to; null when unknown, e.g. a sign-in with an e-mail no workspace has. */
  workspaceId: string | null;
  /** `user:<id>`, `key:<id>`, `system`, or `anonymous` when no caller was authenticated. */
  actor: string;
  action: string;
  status: 'success' | 'failure';
  userId?: string | null;
  apiKeyId?: string | null;
  resource?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  statusCode?: number | null;
  requestId?: string | null;
  /** Context without secret values; never a password, token or key, only names of fields. */
  metadata?: Record<string, unknown> | null;
  /** Epoch milliseconds. */
  occurredAt?: number;
}

/**
 * Stores an audit entry. A failure to store it is logged and swallowed, so auditing never
 * turns a finished action into an error. The returned promise then resolves to null.
 */
export async function recordAuditEvent(store: Store, logger: Logger, event: AuditEvent): Promise<AuditEntry | null> {
  const entry: NewAuditEntry = {
    workspaceId: event.workspaceId,
    occurredAt: event.occurredAt ?? Date.now(),
    actor: event.actor,
    userId: event.userId ?? null,
    apiKeyId: event.apiKeyId ?? null,
    action: event.action,
    resource: event.resource ?? null,
    ipAddress: event.ipAddress ?? null,
    userAgent: event.userAgent ?? null,
    status: event.status,
    statusCode: event.statusCode ?? null,
    requestId: event.requestId ?? null,
    metadata: event.metadata ?? null,
  };

  try {
    return await store.auditLog.append(entry);
  } catch (error) {
    logger.error({ err: error, workspaceId: entry.workspaceId, action: entry.action, resource: entry.resource, requestId: entry.requestId }, 'storing an audit entry failed; the action itself went ahead');
    return null;
  }
}
