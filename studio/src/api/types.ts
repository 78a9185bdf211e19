// Shapes of the API responses the studio reads. They follow the platform's route handlers
// in platform/src/api/routes and the contract its other endpoints are built to.

import type { FieldMapping } from '../mapping/model/definition.js';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
  workspaceId: string;
}

export interface Session {
  user: SessionUser;
  permissions: string[];
  csrfToken: string;
}

export interface IntegrationSummary {
  id: string;
  connectionId?: string;
  name: string;
  connectionName?: string;
  category?: string;
  status: string;
  health: string | null;
  lastSync: string | null;
  lastSyncStatus?: string | null;
  authMethod?: string | null;
  webhookUrl?: string | null;
  error?: { code: string; issues: number };
}

export interface RunView {
  id: string;
  object: string;
  mode: string;
  status: string;
  trigger: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { current: number; total: number | null; percentage: number | null; totalIsEstimate?: boolean };
  eta: string | null;
  counts: { pages: number; read: number; inserted: number; updated: number; unchanged: number; deleted: number };
  error: { code: string; message: string | null } | null;
}

export interface SyncStatus {
  integration: string;
  connectionId: string;
  status: string;
  health?: string | null;
  progress: { current: number; total: number | null; percentage: number | null } | null;
  eta: string | null;
  currentRun?: RunView | null;
  currentRuns?: RunView[];
  lastRun?: RunView | null;
  lastRuns?: Record<string, RunView>;
  run?: RunView | null;
  lastSync: string | null;
}

export interface SyncRunPage {
  integration: string;
  connectionId: string;
  /** Newest first. */
  runs: RunView[];
  nextCursor: string | null;
}

export interface SyncLogEntry {
  seq: number;
  at: string;
  kind: string;
  attempt: number | null;
  page: number | null;
  records: number | null;
  durationMs: number | null;
  code: string | null;
  message: string | null;
}

export interface SyncLogs {
  run: RunView | null;
  entries: SyncLogEntry[];
  nextCursor: string | null;
}

export interface Health {
  integration: string;
  connectionId: string;
  name: string;
  status: string;
  connection: string;
  lastSync: string | null;
  lastSyncStatus: string | null;
  circuitBreakers: { group: string; state: string; failures: number; successes: number; rejects: number; openedAt?: string; nextProbeAt?: string }[];
  rateLimits: { key: string; budget: string; scope: string; limit: number; intervalMs: number; used: number; remaining: number; pausedUntil: string | null }[];
}

export interface SyncPreviewResult {
  object: string;
  canonicalObject: string;
  mode: string;
  records: { externalId: string; action: string; deleted: boolean; data: unknown; errors: { target: string; code: string; message: string }[] }[];
  counts: { read: number; wouldInsert: number; wouldUpdate: number; wouldDelete: number; unchanged: number };
}

export interface WebhookEvent {
  id: string;
  eventType: string | null;
  providerEventId: string | null;
  status: string;
  attempts: number;
  receivedAt: string;
  occurredAt: string | null;
  processedAt: string | null;
  nextAttemptAt: string | null;
  error: { code: string; message: string | null } | null;
  payload?: unknown;
}

export interface WebhookLogs {
  events: WebhookEvent[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

export interface MappingVersion {
  id: string;
  object: string;
  canonicalObject: string;
  version: number;
  definition: FieldMapping;
  comment: string | null;
  createdBy: string | null;
  createdByName?: string | null;
  createdAt: string;
  active: boolean;
}

export interface MappingObjects {
  connectionId: string;
  objects: { object: string; canonicalObject: string; version: number; active: MappingVersion; isDefault: boolean }[];
}

export interface MappingPreview {
  object: string;
  sampleSource?: 'records' | 'provider';
  samples: {
    externalId: string;
    source: unknown;
    current: Record<string, unknown> | null;
    draft: Record<string, unknown> | null;
    changedFields: string[];
    errors: { field: string; message: string }[];
  }[];
}
