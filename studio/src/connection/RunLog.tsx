import { useState } from 'react';

import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { SyncLogs } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';

/** The log of one sync run, failures only by default. */
export function RunLog({ id, runId }: { id: string; runId: string | null }) {
  const { t, tOr, time, number } = useI18n();
  const { api } = useStudio();
  const [failuresOnly, setFailuresOnly] = useState(true);
  const query = new URLSearchParams({ filter: failuresOnly ? 'failed' : 'all', limit: '100' });
  if (runId) query.set('run', runId);
  const logs = useLoad(() => api.get<SyncLogs>(`/v1/integrations/${segment(id)}/sync/logs?${query}`), [api, id, runId, failuresOnly]);

  return (
    <div className="run-log" data-testid="run-log">
      <div className="toolbar-row">
        <h3>{t('sync.logTitle')}</h3>
        <label className="inline">
          <input type="checkbox" checked={failuresOnly} onChange={(event) => setFailuresOnly(event.target.checked)} />
          {t('sync.failuresOnly')}
        </label>
      </div>
      <ErrorNotice error={logs.error} />
      {logs.data && logs.data.entries.length === 0 && <p className="muted">{failuresOnly ? t('sync.noFailures') : t('sync.noEntries')}</p>}
      {logs.data && logs.data.entries.length > 0 && (
        <ol className="log-entries">
          {logs.data.entries.map((entry) => (
            <li key={entry.seq} className={entry.code ? 'failed' : undefined}>
              <span className="muted small">{time(entry.at)}</span> <strong>{tOr(`logKind.${entry.kind}`, entry.kind)}</strong>
              {entry.page !== null && ` · ${t('sync.page', { page: number(entry.page) })}`}
              {entry.records !== null && ` · ${t('sync.recordCount', { count: number(entry.records) })}`}
              {entry.code && <span className="error small"> {entry.code}</span>}
              {entry.message && <div className="small">{entry.message}</div>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
