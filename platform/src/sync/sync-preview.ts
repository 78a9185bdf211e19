import type { ConnectionService } from '../connections/index.js';
import type { StreamPhase, StreamState } from '../runtime/index.js';
import { readObjectPages, type SandboxHost } from '../sandbox/index.js';
import { computeContentHash, type Connection, type Store } from '../store/index.js';
import { loadMapping, mapPage, requireObject } from './map-records.js';
import { parseSavedState, type SyncMode } from './sync-state.js';

export interface SyncPreviewRequest {
  connection: Connection;
  /** Manifest object key, such as `contacts`. */
  object: string;
  mode: SyncMode;
}

/** Action a sync would take on a record of the first page. */
export type PreviewAction = 'insert' | 'update' | 'unchanged' | 'delete';

export interface SyncPreviewRecord {
  externalId: string;
  action: PreviewAction;
  deleted: boolean;
  /** The canonical record the mapping produced. */
  data: unknown;
  errors: { target: string; code: string; message: string }[];
}

export interface SyncPreview {
  object: string;
  /** The canonical object the records map to, such as `contact`. */
  canonicalObject: string;
  mode: SyncMode;
  /** The phase of the page read: `list` for a full read, `incremental` for changes since the last run. */
  phase: StreamPhase | null;
  records: SyncPreviewRecord[];
  counts: { read: number; wouldInsert: number; wouldUpdate: number; wouldDelete: number; unchanged: number };
  /** The provider's request id of the page, when it sent one. */
  requestId: string | null;
}

export interface SyncPreviewDependencies {
  store: Store;
  connections: ConnectionService;
  sandbox?: SandboxHost;
}

/**
 * Reads the first page a sync would read, maps it, and compares each record with the stored
 * one by content hash, as the record store does. It writes no records, no checkpoint and no
 * run. An incremental preview starts where the last finished run ended.
 *
 * NOTE: a plugin's readStream or transformPage hook runs as in a sync, so a plugin that
 * writes its own state through the state capability does so during a preview too.
 */
export async function previewSync(dependencies: SyncPreviewDependencies, request: SyncPreviewRequest): Promise<SyncPreview> {
  const { store, connections } = dependencies;
  const { connection, object, mode } = request;

  const opened = await connections.open(connection);
  const manifest = opened.connector.manifest;
  requireObject(manifest, object);
  const mapping = await loadMapping(store, connection, object);

  const saved = parseSavedState((await store.syncState.get(connection.id, object))?.state);
  const startState: StreamState | null = mode === 'incremental' ? (saved.completed ?? null) : null;
  const pages = readObjectPages({
    sandbox: dependencies.sandbox,
    connector: opened.connector,
    // An admin waits for the preview, so its request goes before sync pages in the rate limiter.
    context: { ...opened.context, priority: 'interactive' },
    stream: { object, mode, state: startState },
  });
  const first = await pages.next();
  await pages.return(undefined);

  const preview: SyncPreview = {
    object,
    canonicalObject: mapping.canonicalObject,
    mode,
    phase: null,
    records: [],
    counts: { read: 0, wouldInsert: 0, wouldUpdate: 0, wouldDelete: 0, unchanged: 0 },
    requestId: null,
  };
  if (first.done) return preview;

  const page = first.value;
  preview.phase = page.phase;
  preview.requestId = page.requestId ?? null;
  preview.counts.read = page.records.length;

  // When an id occurs twice in a page, the store keeps the last row, so the preview does too.
  const rows = new Map((await mapPage(store, manifest, object, mapping, connection, page.records, page.deleted)).map((row) => [row.externalId, row]));
  const stored = await store.records.findByExternalIds(connection.id, mapping.canonicalObject, [...rows.keys()]);
  const storedById = new Map(stored.map((record) => [record.externalId, record]));

  for (const row of rows.values()) {
    const existing = storedById.get(row.externalId);
    const action = decideAction(existing, computeContentHash(row.data, row.raw, row.deleted), row.deleted);
    countAction(preview.counts, action);
    preview.records.push({ externalId: row.externalId, action, deleted: row.deleted, data: row.data, errors: row.errors.map(({ target, code, message }) => ({ target, code, message })) });
  }
  return preview;
}

/** Decides as `records.upsertPage` does: a new id is inserted (or stored deleted), an equal hash is unchanged, any other hash updates or deletes. */
function decideAction(existing: { contentHash: string; deleted: boolean } | undefined, contentHash: string, deleted: boolean): PreviewAction {
  if (!existing) return deleted ? 'delete' : 'insert';
  if (existing.contentHash === contentHash) return 'unchanged';
  return deleted && !existing.deleted ? 'delete' : 'update';
}

function countAction(counts: SyncPreview['counts'], action: PreviewAction): void {
  if (action === 'insert') counts.wouldInsert += 1;
  else if (action === 'update') counts.wouldUpdate += 1;
  else if (action === 'delete') counts.wouldDelete += 1;
  else counts.unchanged += 1;
}
