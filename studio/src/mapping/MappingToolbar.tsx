import { GuardedButton } from '../components/GuardedButton.js';
import { useI18n } from '../i18n/i18n.js';
import { useCanvasZoom } from './canvas/MappingCanvas.js';
import type { MappingEditor } from './use-mapping-editor.js';

export interface ToolbarProps {
  editor: MappingEditor;
  readOnly: boolean;
  search: string;
  onSearch(value: string): void;
  blocked: boolean;
  onSave(): void;
}

export function MappingToolbar({ editor, readOnly, search, onSearch, blocked, onSave }: ToolbarProps) {
  const { t } = useI18n();
  const zoom = useCanvasZoom();
  const reason = t('readOnly.write');

  return (
    <div className="mapping-toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <GuardedButton allowed={!readOnly} reason={reason} disabled={!editor.canUndo} onClick={editor.undo} title={t('toolbar.undoHint')} data-testid="undo">
        {t('toolbar.undo')}
      </GuardedButton>
      <GuardedButton allowed={!readOnly} reason={reason} disabled={!editor.canRedo} onClick={editor.redo} title={t('toolbar.redoHint')} data-testid="redo">
        {t('toolbar.redo')}
      </GuardedButton>
      <GuardedButton allowed={!readOnly} reason={reason} disabled={!editor.selection} onClick={editor.deleteSelection} title={t('toolbar.deleteHint')} data-testid="delete-selection">
        {t('toolbar.delete')}
      </GuardedButton>
      <button type="button" onClick={editor.autoLayout} data-testid="auto-layout">
        {t('toolbar.autoLayout')}
      </button>
      <span className="toolbar-group" role="group" aria-label={t('toolbar.zoom')}>
        <button type="button" onClick={zoom.zoomOut} aria-label={t('toolbar.zoomOut')} title={t('toolbar.zoomOut')}>
          −
        </button>
        <button type="button" onClick={zoom.fit} title={t('toolbar.fit')}>
          {t('toolbar.fitShort')}
        </button>
        <button type="button" onClick={zoom.zoomIn} aria-label={t('toolbar.zoomIn')} title={t('toolbar.zoomIn')}>
          +
        </button>
      </span>
      <input type="search" className="search" placeholder={t('toolbar.search')} aria-label={t('toolbar.search')} value={search} onChange={(event) => onSearch(event.target.value)} data-testid="field-search" />
      <span className="toolbar-spacer" />
      <GuardedButton
        allowed={!readOnly}
        reason={reason}
        disabled={!editor.dirty || blocked}
        title={blocked ? t('toolbar.saveBlocked') : editor.dirty ? undefined : t('toolbar.nothingToSave')}
        className="primary"
        onClick={onSave}
        data-testid="save"
      >
        {t('toolbar.save')}
      </GuardedButton>
    </div>
  );
}
