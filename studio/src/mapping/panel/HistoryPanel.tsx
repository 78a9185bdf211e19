import { useState } from 'react';

import { segment } from '../../api/client.js';
import type { MappingVersion } from '../../api/types.js';
import { useStudio } from '../../app/session.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { GuardedButton } from '../../components/GuardedButton.js';
import { useLoad } from '../../components/use-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { ruleSummary } from '../describe.js';
import type { FieldCatalog } from '../model/catalog.js';
import { diffMappings } from '../model/diff.js';

/** Comment of the versions the platform creates from a connector's default mapping. */
const DEFAULT_MAPPING_COMMENT = 'Default mapping from the connector manifest';

export interface HistoryProps {
  id: string;
  object: string;
  catalog: FieldCatalog | null;
  /** Bumped after every save, so the list reloads. */
  revision: number;
  /** Called with the new active version after a rollback or a restore. */
  onRestored(version: MappingVersion): void;
}

/** Renders the versions of a mapping with who saved each and when, the difference between two, and rollback. */
export function HistoryPanel({ id, object, catalog, revision, onRestored }: HistoryProps) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const { api, canWrite, session } = useStudio();
  const base = `/v1/integrations/${segment(id)}/field-mappings/${segment(object)}`;
  const versions = useLoad(() => api.get<{ versions: MappingVersion[]; nextCursor: string | null }>(`${base}/versions?limit=50`), [api, base, revision]);
  // Only user managers may list users; others see ids instead of names.
  const canListUsers = session.permissions.includes('api_keys.manage');
  const users = useLoad(
    () => (canListUsers ? api.get<{ users: { id: string; name: string; email: string }[] }>('/v1/users') : Promise.resolve({ users: [] })),
    [api, canListUsers],
  );
  const [compare, setCompare] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const list = versions.data?.versions ?? [];
  const toggle = (version: number) => setCompare((current) => (current.includes(version) ? current.filter((item) => item !== version) : [...current, version].slice(-2)));

  const act = async (request: () => Promise<MappingVersion>) => {
    setBusy(true);
    setError(null);
    try {
      const created = await request();
      versions.reload();
      onRestored(created);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const [olderNumber, newerNumber] = [...compare].sort((a, b) => a - b);
  const older = list.find((version) => version.version === olderNumber);
  const newer = list.find((version) => version.version === newerNumber);
  const changes = older && newer ? diffMappings(older.definition, newer.definition) : null;
  // The platform writes this comment in English on the versions it creates from the
  // connector's default mapping, so the studio shows it in the reader's language.
  const commentText = (comment: string) => (comment === DEFAULT_MAPPING_COMMENT ? t('history.defaultMappingComment') : comment);
  const author = (version: MappingVersion) => {
    const by = version.createdBy;
    if (by === null || by === 'system') return t('history.system');
    if (by === `user:${session.user.id}`) return t('history.you');
    if (by.startsWith('user:')) {
      const user = users.data?.users.find((candidate) => `user:${candidate.id}` === by);
      return user ? user.name || user.email : t('history.user', { id: by.slice(5) });
    }
    if (by.startsWith('key:')) return t('history.apiKey', { id: by.slice(4) });
    return by;
  };

  return (
    <div className="history" data-testid="history-panel">
      <div className="toolbar-row">
        <h2>{t('history.title')}</h2>
        <GuardedButton allowed={canWrite} reason={t('readOnly.write')} disabled={busy} onClick={() => void act(() => api.post<MappingVersion>(`${base}/restore-default`))} data-testid="restore-default">
          {t('history.restoreDefault')}
        </GuardedButton>
      </div>
      <ErrorNotice error={versions.error ?? error} />
      <p className="muted small">{t('history.compareHelp')}</p>
      <ol className="versions">
        {list.map((version) => (
          <li key={version.version} className={version.active ? 'active' : undefined} data-testid={`version-${version.version}`}>
            <label className="inline">
              <input type="checkbox" checked={compare.includes(version.version)} onChange={() => toggle(version.version)} aria-label={t('history.compareVersion', { version: version.version })} />
              <strong>{t('history.version', { version: version.version })}</strong>
            </label>
            {version.active && <span className="badge good">{t('history.active')}</span>}
            <div className="small">{t('history.savedBy', { who: author(version), when: dateTime(version.createdAt) })}</div>
            {version.comment && <div className="small comment">“{commentText(version.comment)}”</div>}
            {!version.active && (
              <GuardedButton
                allowed={canWrite}
                reason={t('readOnly.write')}
                disabled={busy}
                onClick={() => void act(() => api.post<MappingVersion>(`${base}/rollback`, { version: version.version, comment: t('history.rollbackComment', { version: version.version }) }))}
                data-testid={`rollback-${version.version}`}
              >
                {t('history.rollback')}
              </GuardedButton>
            )}
          </li>
        ))}
      </ol>
      {changes && older && newer && (
        <div className="diff" data-testid="version-diff">
          <h3>{t('history.diffTitle', { older: older.version, newer: newer.version })}</h3>
          {changes.length === 0 && <p className="muted">{t('history.noDifference')}</p>}
          <ul>
            {changes.map((change) => (
              <li key={`${change.kind}-${change.target}`} className={`diff-${change.kind}`}>
                <strong>{t(`history.${change.kind}`, { field: change.target })}</strong>
                {change.before && <div className="small diff-before">{ruleSummary(i18n, change.before, catalog)}</div>}
                {change.after && <div className="small diff-after">{ruleSummary(i18n, change.after, catalog)}</div>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
