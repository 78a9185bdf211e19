import { useEffect, useRef, useState } from 'react';

import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { MappingObjects, RunView, SyncPreviewResult, SyncStatus } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GuardedButton } from '../components/GuardedButton.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';
import { ProgressBar } from './ProgressBar.js';
import { RunHistory } from './RunHistory.js';
import { RunLog } from './RunLog.js';
import { SyncPreview } from './SyncPreview.js';

/**
 * Sync controls, the running sync's progress, the run history and the log of one run.
 * `onRunFinished` is called when a run that was going when the page polled ends, so the page
 * can read the connection's last sync time again.
 */
export function SyncPanel({ id, onRunFinished }: { id: string; onRunFinished?: () => void }) {
  const { t, tOr } = useI18n();
  const { api, canWrite } = useStudio();
  const base = `/v1/integrations/${segment(id)}`;
  const [syncing, setSyncing] = useState(false);
  const status = useLoad(() => api.get<SyncStatus>(`${base}/sync/status`), [api, base], syncing ? 1000 : 4000);
  const mappings = useLoad(() => api.get<MappingObjects>(`${base}/field-mappings`), [api, base]);
  const [object, setObject] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<SyncPreviewResult | null>(null);
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const [newestRun, setNewestRun] = useState<string | null>(null);

  const current = status.data?.currentRun ?? null;
  useEffect(() => setSyncing(status.data?.status === 'syncing'), [status.data?.status]);

  // A run has finished when one that was going at the previous poll no longer is, or when
  // the last sync time moved (a short run can start and end between two polls).
  const previous = useRef<{ active: string[]; lastSync: string | null } | null>(null);
  useEffect(() => {
    if (!status.data) return;
    const seen = { active: activeRunIds(status.data), lastSync: status.data.lastSync };
    const before = previous.current;
    previous.current = seen;
    if (!before) return;
    const ended = before.active.some((runId) => !seen.active.includes(runId));
    if (ended || before.lastSync !== seen.lastSync) onRunFinished?.();
  }, [status.data, onRunFinished]);

  const objects = [...new Set([...(mappings.data?.objects ?? []).map((entry) => entry.object), ...Object.keys(status.data?.lastRuns ?? {})])];
  const chosen = object || objects[0] || '';

  const start = async (mode: 'full' | 'incremental') => {
    setBusy(true);
    setActionError(null);
    try {
      const run = await api.post<RunView>(`${base}/sync`, { type: chosen, mode });
      setSelectedRun(run.id);
      setSyncing(true);
      status.reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
    }
  };
  const runPreview = async () => {
    setBusy(true);
    setActionError(null);
    try {
      setPreview(await api.post<SyncPreviewResult>(`${base}/sync/preview`, { type: chosen, mode: 'incremental' }));
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="sync-title" data-testid="sync-panel">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <div className="toolbar-row">
        <label>
          {t('sync.object')}
          <select value={chosen} onChange={(event) => setObject(event.target.value)} data-testid="sync-object">
            {objects.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <GuardedButton allowed={canWrite} reason={t('readOnly.write')} disabled={busy || !chosen} onClick={() => void start('incremental')} className="primary">
          {t('sync.incremental')}
        </GuardedButton>
        <GuardedButton allowed={canWrite} reason={t('readOnly.write')} disabled={busy || !chosen} onClick={() => void start('full')}>
          {t('sync.full')}
        </GuardedButton>
        <button type="button" disabled={busy || !chosen} onClick={() => void runPreview()}>
          {t('sync.preview')}
        </button>
      </div>
      <ErrorNotice error={actionError ?? status.error} />

      {current && (
        <div className="current-run" data-testid="current-run">
          <p>
            {t('sync.running', { object: current.object, mode: tOr(`mode.${current.mode}`, current.mode) })}
          </p>
          <ProgressBar progress={current.progress} eta={current.eta} />
        </div>
      )}
      {preview && <SyncPreview preview={preview} onClose={() => setPreview(null)} />}

      <RunHistory id={id} refreshKey={runsKey(status.data)} selectedRun={selectedRun} onSelect={setSelectedRun} onNewest={setNewestRun} />
      <RunLog id={id} runId={selectedRun ?? newestRun} />
    </section>
  );
}

/**
 * Sums up the runs going and the newest finished one, so the history reads the runs again
 * when a run starts, moves or finishes, and not on every poll of an idle connection.
 */
function runsKey(status: SyncStatus | null): string {
  if (!status) return '';
  const going = (status.currentRuns ?? []).map((run) => `${run.id}:${run.status}:${run.progress.current}`);
  const last = status.lastRun ? `${status.lastRun.id}:${status.lastRun.status}` : '';
  return [...going, last].join(',');
}

/** Ids of the runs queued or going. */
function activeRunIds(status: SyncStatus | null): string[] {
  return (status?.currentRuns ?? []).map((run) => run.id);
}
