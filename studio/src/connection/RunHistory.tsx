import { useEffect, useRef, useState } from 'react';

import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { RunView, SyncRunPage } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useI18n } from '../i18n/i18n.js';

const PAGE_SIZE = 10;
/** The API's maximum page size, which caps a refresh of everything already shown. */
const MAX_PAGE_SIZE = 200;

export interface RunHistoryProps {
  id: string;
  /** Changes whenever a run starts, moves or finishes, so the list reads the runs again. */
  refreshKey: string;
  selectedRun: string | null;
  onSelect(runId: string): void;
  /** Called with the newest run, whose log shows until the user picks another. */
  onNewest(runId: string | null): void;
}

/** Lists every sync run of the connection, newest first, reading pages of `GET .../sync/runs`. */
export function RunHistory({ id, refreshKey, selectedRun, onSelect, onNewest }: RunHistoryProps) {
  const { t, tOr, dateTime, time, number } = useI18n();
  const { api } = useStudio();
  const base = `/v1/integrations/${segment(id)}/sync/runs`;
  const [runs, setRuns] = useState<RunView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const shownCount = useRef(PAGE_SIZE);

  // A refresh reads as many runs as are shown, from the newest, so "load more" pages stay
  // open and the cursor of the response continues after the last of them.
  useEffect(() => {
    let cancelled = false;
    const limit = Math.min(Math.max(shownCount.current, PAGE_SIZE), MAX_PAGE_SIZE);
    api
      .get<SyncRunPage>(`${base}?limit=${limit}`)
      .then((page) => {
        if (cancelled) return;
        setRuns(page.runs);
        setNextCursor(page.nextCursor);
        setError(null);
        setLoaded(true);
        onNewest(page.runs[0]?.id ?? null);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught);
      });
    return () => {
      cancelled = true;
    };
  }, [api, base, refreshKey, onNewest]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<SyncRunPage>(`${base}?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(nextCursor)}`);
      const known = new Set(runs.map((run) => run.id));
      const merged = [...runs, ...page.runs.filter((run) => !known.has(run.id))];
      shownCount.current = merged.length;
      setRuns(merged);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div data-testid="run-history">
      <h3>{t('sync.history')}</h3>
      <ErrorNotice error={error} />
      {loaded && runs.length === 0 && <p className="muted">{t('sync.noRuns')}</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="runs">
            <thead>
              <tr>
                <th>{t('sync.object')}</th>
                <th>{t('sync.mode')}</th>
                <th>{t('sync.status')}</th>
                <th>{t('sync.started')}</th>
                <th>{t('sync.finished')}</th>
                <th>{t('sync.records')}</th>
                <th>
                  <span className="visually-hidden">{t('sync.log')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className={run.id === selectedRun ? 'selected' : undefined} data-testid="run-row" data-run-id={run.id}>
                  <td>{run.object}</td>
                  <td>{tOr(`mode.${run.mode}`, run.mode)}</td>
                  <td>
                    <StatusBadge value={run.status} />
                    {run.error && <span className="error small"> {run.error.code}</span>}
                  </td>
                  <td className="when">{dateTime(run.startedAt)}</td>
                  <td className="when">{sameDay(run.startedAt, run.finishedAt) ? time(run.finishedAt) : dateTime(run.finishedAt)}</td>
                  <td title={t('sync.countsTitle', { inserted: number(run.counts.inserted), updated: number(run.counts.updated), deleted: number(run.counts.deleted) })}>{number(run.counts.read)}</td>
                  <td>
                    <button type="button" className="link" onClick={() => onSelect(run.id)}>
                      {t('sync.showLog')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <button type="button" className="load-more" onClick={() => void loadMore()} disabled={loadingMore} data-testid="runs-load-more">
          {loadingMore ? t('common.loading') : t('sync.loadMore')}
        </button>
      )}
    </div>
  );
}

/** Tells whether two instants fall on the same local calendar day, so a finish time can leave out the date. */
function sameDay(start: string | null, end: string | null): boolean {
  if (!start || !end) return false;
  return new Date(start).toDateString() === new Date(end).toDateString();
}
