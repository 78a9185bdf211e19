import { useEffect, useState } from 'react';

import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { MappingObjects, RunView, SyncPreviewResult, SyncStatus } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GuardedButton } from '../components/GuardedButton.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';
import { ProgressBar } from './ProgressBar.js';
import { RunLog } from './RunLog.js';
import { SyncPreview } from './SyncPreview.js';

/** Sync controls, the running sync's progress, the recent runs and the log of one run. */
export function SyncPanel({ id }: { id: string }) {
  const { t, tOr, dateTime, number } = useI18n();
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

  const current = status.data?.currentRun ?? null;
  useEffect(() => setSyncing(status.data?.status === 'syncing'), [status.data?.status]);

  const objects = [...new Set([...(mappings.data?.objects ?? []).map((entry) => entry.object), ...Object.keys(status.data?.lastRuns ?? {})])];
  const chosen = object || objects[0] || '';

  const runs = collectRuns(status.data);
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

      <h3>{t('sync.history')}</h3>
      {runs.length === 0 ? (
        <p className="muted">{t('sync.noRuns')}</p>
      ) : (
        <div className="table-scroll">
        <table className="runs">
          <thead>
            <tr>
              <th>{t('sync.object')}</th>
              <th>{t('sync.mode')}</th>
              <th>{t('sync.status')}</th>
              <th>{t('sync.started')}</th>
              <th>{t('sync.records')}</th>
              <th>
                <span className="visually-hidden">{t('sync.log')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className={run.id === selectedRun ? 'selected' : undefined}>
                <td>{run.object}</td>
                <td>{tOr(`mode.${run.mode}`, run.mode)}</td>
                <td>
                  <StatusBadge value={run.status} />
                  {run.error && <span className="error small"> {run.error.code}</span>}
                </td>
                <td>{dateTime(run.startedAt)}</td>
                <td title={t('sync.countsTitle', { inserted: number(run.counts.inserted), updated: number(run.counts.updated), deleted: number(run.counts.deleted) })}>{number(run.counts.read)}</td>
                <td>
                  <button type="button" className="link" onClick={() => setSelectedRun(run.id)}>
                    {t('sync.showLog')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <RunLog id={id} runId={selectedRun ?? runs[0]?.id ?? null} />
    </section>
  );
}

/** Lists the runs the status endpoint reports, running ones first, newest first. */
function collectRuns(status: SyncStatus | null): RunView[] {
  if (!status) return [];
  const byId = new Map<string, RunView>();
  for (const run of [...(status.currentRuns ?? []), status.lastRun ?? null, ...Object.values(status.lastRuns ?? {})]) {
    if (run) byId.set(run.id, run);
  }
  return [...byId.values()].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
}
