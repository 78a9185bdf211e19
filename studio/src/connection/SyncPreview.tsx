import type { SyncPreviewResult } from '../api/types.js';
import { JsonView } from '../components/JsonView.js';
import { useI18n } from '../i18n/i18n.js';

/** What a sync would do with the first page, from POST .../sync/preview. */
export function SyncPreview({ preview, onClose }: { preview: SyncPreviewResult; onClose(): void }) {
  const { t, tOr, number } = useI18n();
  const { counts } = preview;
  return (
    <div className="sync-preview" data-testid="sync-preview">
      <div className="toolbar-row">
        <h3>{t('sync.previewTitle', { object: preview.object })}</h3>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p>
        {t('sync.previewCounts', {
          read: number(counts.read),
          insert: number(counts.wouldInsert),
          update: number(counts.wouldUpdate),
          deleted: number(counts.wouldDelete),
          unchanged: number(counts.unchanged),
        })}
      </p>
      <table className="compact">
        <thead>
          <tr>
            <th>{t('preview.externalId')}</th>
            <th>{t('sync.action')}</th>
            <th>{t('preview.record')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.records.slice(0, 10).map((record) => (
            <tr key={record.externalId}>
              <td>{record.externalId}</td>
              <td>{tOr(`action.${record.action}`, record.action)}</td>
              <td>
                <JsonView value={record.data} label={t('preview.record')} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
